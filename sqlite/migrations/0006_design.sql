-- The version of the bias derivation (fingerprint.Design.Version): rows
-- stored before it existed used version 1.
ALTER TABLE versions ADD COLUMN design INTEGER NOT NULL DEFAULT 1;
