-- tests/sqlite/fahras.sql — the FTS5 tokenizer in the sqlite3 shell, after
-- ".load BUILD/fahras_sqlite" (tests/run.sh feeds it; the output must equal
-- fahras.expected).  Errors are part of the expected output.
.headers off
.mode list
CREATE VIRTUAL TABLE news USING fts5(title, body, tokenize='fahras');
INSERT INTO news(rowid, title, body) VALUES
  (1, 'وَالكِتَابُ الجَدِيدُ', 'قرأ الطُّلَّابُ الكـــتاب في بِمَدرَسَتِهِم'),
  (2, 'أعلنت الولايات المتحدة', 'قالت وزارة الخارجية إن الرئيس أوباما سيزور المنطقة'),
  (3, 'سيارات كهربائية', 'تزايدت مبيعات السيارات الكهربائية في العالم');
INSERT INTO news(news, rank) VALUES ('integrity-check', 1);
SELECT '-- plain forms';
SELECT rowid, highlight(news, 0, '[', ']') FROM news WHERE news MATCH 'كتاب' ORDER BY rowid;
SELECT rowid FROM news WHERE news MATCH 'مدرسة' ORDER BY rowid;
SELECT rowid FROM news WHERE news MATCH 'اوباما AND سياره' ORDER BY rowid;
SELECT rowid FROM news WHERE news MATCH 'اوباما OR سياره' ORDER BY rowid;
SELECT '-- prefix';
SELECT rowid, highlight(news, 1, '[', ']') FROM news WHERE news MATCH 'كهرب*' ORDER BY rowid;
SELECT '-- phrase';
SELECT rowid, highlight(news, 0, '[', ']') FROM news WHERE news MATCH '"الولايات المتحدة"';
SELECT rowid FROM news WHERE news MATCH '"المتحدة الولايات"';
SELECT rowid, highlight(news, 1, '[', ']') FROM news WHERE news MATCH 'body: "الكتاب في"';
SELECT '-- snippet, ranked';
SELECT rowid, snippet(news, 1, '[', ']', '…', 4) FROM news WHERE news MATCH 'الرئيس' ORDER BY rank;
SELECT '-- update, delete';
UPDATE news SET body = 'لا كتب هنا' WHERE rowid = 1;
INSERT INTO news(news, rank) VALUES ('integrity-check', 1);
SELECT rowid FROM news WHERE news MATCH 'بمدرستهم';
DELETE FROM news WHERE rowid = 3;
INSERT INTO news(news, rank) VALUES ('integrity-check', 1);
SELECT count(*) FROM news WHERE news MATCH 'سيارة';
SELECT '-- what is indexed';
SELECT token, start, end, terms, query FROM fahras_tokens('وَبِالكِتَابِ في الـCNN');
CREATE VIRTUAL TABLE vocab USING fts5vocab(news, row);
SELECT term, doc FROM vocab WHERE term IN ('كتاب', 'الكتاب', 'وزاره', 'ولايه') ORDER BY term;
SELECT '-- options';
CREATE VIRTUAL TABLE exact USING fts5(body, tokenize='fahras stem off');
INSERT INTO exact VALUES ('والكتاب الجديد');
SELECT count(*) FROM exact WHERE exact MATCH 'كتاب';
SELECT count(*) FROM exact WHERE exact MATCH 'والكتاب';
SELECT '-- bad options';
CREATE VIRTUAL TABLE bad USING fts5(body, tokenize='fahras stemming 0');
SELECT * FROM fahras_tokens('x', 'stemming 0');
SELECT * FROM fahras_tokens('x', 'alef perhaps');
