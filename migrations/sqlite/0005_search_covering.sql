-- PostgreSQL adds `id` to its name indexes here; SQLite's indexes carry the rowid (= member.id)
-- already, so there is nothing to do (the file keeps both backends' migration numbers aligned).
SELECT 1;
