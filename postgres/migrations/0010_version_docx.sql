-- Word documents: a version added from a .docx keeps the Word file,
-- encrypted like its source, so that its Word copies are written by
-- editing the original's runs. NULL for a version added from Markdown.
-- (0010 is another branch's.)
ALTER TABLE versions ADD COLUMN sealed_docx BYTEA;
