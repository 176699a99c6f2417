-- The user account that reads a recipient's copies, linked explicitly (by
-- an owner), not by e-mail alone. Recipients who already had an account
-- with their address keep reading their copies: they are linked here.
ALTER TABLE recipients ADD COLUMN user_id INTEGER REFERENCES users (id);
UPDATE recipients SET user_id = (SELECT id FROM users WHERE users.email = recipients.email);
