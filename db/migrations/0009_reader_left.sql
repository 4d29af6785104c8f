-- The day a reader left the school (a grade-9 leaver, a student absent from the new
-- year's lists); NULL while they are at school. Leavers keep their open loans until
-- returned but can no longer borrow, hold or link.
ALTER TABLE reader ADD COLUMN left_on TEXT;
