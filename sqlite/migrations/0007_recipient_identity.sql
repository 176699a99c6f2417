-- A recipient who holds copies keeps their identity: each copy's issue
-- entry in the ledger commits to the holder's name and e-mail. (Anyone
-- with the file can drop a trigger; the ledger check catches that too.)
CREATE TRIGGER recipients_immutable BEFORE UPDATE OF id, name, email ON recipients
WHEN EXISTS (SELECT 1 FROM copies WHERE recipient_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'recipients who hold copies are immutable');
END;

CREATE TRIGGER recipients_keep BEFORE DELETE ON recipients
WHEN EXISTS (SELECT 1 FROM copies WHERE recipient_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'recipients who hold copies cannot be deleted');
END;
