-- Find-before-create blocks on a name's sound together with the first letters of the other
-- name (catching a slip that changes one name's Soundex); these serve those rules. The
-- given_key index is a prefix of the second and goes.
CREATE INDEX people_family_given_lower ON people (family_key, given_lower);
CREATE INDEX people_given_family_lower ON people (given_key, family_lower);
DROP INDEX people_given_key;
