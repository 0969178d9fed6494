-- A monitoring notice published through fupin runs from the day it is published; one posted on
-- the village's board before the case reached the system is recorded afterwards (补录) with its
-- own dates, and says so wherever it is shown.
ALTER TABLE notice ADD COLUMN on_paper BOOLEAN NOT NULL DEFAULT FALSE;

-- Before this, a case whose notice was withdrawn (an objection upheld, or staff taking the
-- household off the notice) could move no further. Such cases return to the village's review,
-- as the procedure now does, with a step on their timeline saying so.
CREATE TEMP TABLE stranded AS
SELECT c.id, c.stage, GREATEST(c.stage_on, CURRENT_DATE) AS on_day
FROM monitoring_case c
WHERE c.stage IN ('notice', 'clear_notice')
  AND NOT EXISTS (SELECT 1 FROM notice_entry e JOIN notice n ON n.id = e.notice_id
                  WHERE e.household_id = c.household_id AND e.state = 'proposed'
                    AND n.kind = CASE c.stage WHEN 'notice' THEN 'monitoring' ELSE 'clearing' END);
INSERT INTO case_step (case_id, stage, done_on, actor, approved, note, at)
SELECT id, stage, on_day, 'migration', FALSE, '公示已撤回或缺失，退回民主评议', now()
FROM stranded;
UPDATE monitoring_case c
SET stage = CASE c.stage WHEN 'notice' THEN 'cross_check' ELSE 'clear_home_check' END,
    stage_on = s.on_day, version = c.version + 1, updated_by = 'migration', updated_at = now()
FROM stranded s WHERE s.id = c.id;
DROP TABLE stranded;
