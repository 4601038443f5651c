-- Who runs a home when no provider record says (issue 22, ADR 0055): kept from a 903
-- return's PLACE_PROVIDER for the homes an import makes (PR2 another council, PR3 another
-- public body, PR4 private, PR5 voluntary), so the return Hearth writes says the same. A home
-- with a provider takes its provider's kind instead.
ALTER TABLE care_homes ADD COLUMN provider_kind TEXT;

-- A contract's version moves on when it is changed (ended), as homes' and providers' do: the
-- placement search keeps the homes it ranks while their stamp (counts, versions, the newest
-- contract) stays the same, and an ended contract changes the routes it reads.
ALTER TABLE care_provider_contracts ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
