-- Contacting a family member safely (issue 24; ADR 0050): a mobile number for texts (E.164),
-- whether texting and leaving a voice message are safe ('yes', 'no'; empty: never asked), the
-- hours in which a text is safe on the family's clock ('09:00-17:00', '09:00-17:00 weekdays';
-- empty: any time), and how the person chose to hear from Hearth ('email', 'text', 'both';
-- empty: not asked, email). Changed from the person's details like any other detail.
ALTER TABLE people ADD COLUMN mobile TEXT;
ALTER TABLE people ADD COLUMN safe_to_text TEXT;
ALTER TABLE people ADD COLUMN safe_to_leave_message TEXT;
ALTER TABLE people ADD COLUMN safe_hours TEXT;
ALTER TABLE people ADD COLUMN contact_by TEXT;
