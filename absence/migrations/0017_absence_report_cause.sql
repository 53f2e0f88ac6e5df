-- What a guardian said of the absence they reported: the child is sick (sjukanmälan) or away
-- for another reason. NULL: not said (a report through the API without it, or granted leave).
-- Whether a child is sick is health data: it is shown to the child's guardians and to the
-- teachers who take the child's registers, and it never goes into a process's history.
ALTER TABLE absence_reports ADD COLUMN cause text CHECK (cause IN ('sick', 'other'));
