-- PDF copies: whether each printed page carries a diagonal watermark
-- naming the recipient (the owner's choice at issue time); the footer
-- marking is always printed.
ALTER TABLE copies ADD COLUMN watermark INTEGER NOT NULL DEFAULT 0;
