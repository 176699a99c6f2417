-- A recipient who holds copies keeps their identity: each copy's issue
-- entry in the ledger commits to the holder's name and e-mail. (Anyone
-- with the database can drop a trigger; the ledger check catches that too.)
CREATE FUNCTION telltale_recipient_identity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM copies WHERE recipient_id = OLD.id) THEN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'recipients who hold copies cannot be deleted';
        END IF;
        IF NEW.id <> OLD.id OR NEW.name <> OLD.name OR NEW.email <> OLD.email THEN
            RAISE EXCEPTION 'recipients who hold copies are immutable';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER recipients_immutable BEFORE UPDATE OR DELETE ON recipients
    FOR EACH ROW EXECUTE FUNCTION telltale_recipient_identity();
