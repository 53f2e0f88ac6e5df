package activities

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/sdk/temporal"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/workflows"
)

// The task machinery's activities: each writes the task's inbox row and the process history in
// one transaction, and each is idempotent (the row's id and the event's key make a retry a no-op).

// CreateTask puts a task in its assignee's inbox and records that it was created and assigned.
func (a *Activities) CreateTask(ctx context.Context, t workflows.Task) error {
	return a.tx(ctx, func(tx pgx.Tx) error {
		expects, err := json.Marshal(t.Spec.Expects)
		if err != nil {
			return err
		}
		heldBy := t.Spec.HeldBy
		if heldBy == nil {
			heldBy = []string{}
		}
		tag, err := tx.Exec(ctx, `INSERT INTO tasks (id, process_id, kind, assignee_id, assignee_role, assignee_org,
				school_id, subject_person, subject_group, due_at, expects, held_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING`,
			t.ID, t.ProcessID, t.Spec.Kind, null(t.Assignee.PersonID), null(t.Assignee.Role), null(t.Assignee.OrgID),
			null(t.Spec.SchoolID), null(t.Spec.SubjectPerson), null(t.Spec.SubjectGroup), nullTime(t.DueAt), expects, heldBy)
		if err != nil {
			return Permanent(err)
		}
		if tag.RowsAffected() == 0 {
			// Written by an earlier attempt of this activity: its events are there too.
			var process string
			if err := tx.QueryRow(ctx, `SELECT process_id FROM tasks WHERE id = $1`, t.ID).Scan(&process); err != nil {
				return err
			}
			if process != t.ProcessID {
				return temporal.NewNonRetryableApplicationError("a task of another process has this id", "task-id", nil)
			}
			return nil
		}
		if err := event(ctx, tx, t.ProcessID, "task:"+t.ID+":created", "created", t.ID, "", map[string]any{"kind": t.Spec.Kind}); err != nil {
			return err
		}
		return event(ctx, tx, t.ProcessID, "task:"+t.ID+":assigned", "assigned", t.ID, "", assigneeDetail(t))
	})
}

// CompleteTask records who completed the task and with what decision.
func (a *Activities) CompleteTask(ctx context.Context, c workflows.CompletedTask) error {
	t, out := c.Task, c.Outcome
	return a.tx(ctx, func(tx pgx.Tx) error {
		result, err := json.Marshal(out.Payload)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE tasks SET state = 'completed', completed_at = $2, completed_by = $3, result = $4
			WHERE id = $1 AND state = 'open'`, t.ID, out.Completed, out.By, result); err != nil {
			return Permanent(err)
		}
		return event(ctx, tx, t.ProcessID, "task:"+t.ID+":completed", "completed", t.ID, out.By,
			map[string]any{"decision": decision(t.Spec.Expects, out.Payload)})
	})
}

// ReassignTask records a new assignee: "reassigned" when a person did it, "escalated" when the
// deadline did.
func (a *Activities) ReassignTask(ctx context.Context, ev workflows.TaskEvent) error {
	kind := "escalated"
	if ev.By != "" {
		kind = "reassigned"
	}
	return a.tx(ctx, func(tx pgx.Tx) error {
		t := ev.Task
		if _, err := tx.Exec(ctx, `UPDATE tasks SET assignee_id = $2, assignee_role = $3, assignee_org = $4, due_at = $5
			WHERE id = $1 AND state = 'open'`, t.ID, null(t.Assignee.PersonID), null(t.Assignee.Role), null(t.Assignee.OrgID), nullTime(t.DueAt)); err != nil {
			return Permanent(err)
		}
		return event(ctx, tx, t.ProcessID, fmt.Sprintf("task:%s:assignment:%d", t.ID, ev.Seq), kind, t.ID, ev.By, assigneeDetail(t))
	})
}

// RemindTask records that the assignee was reminded of a task soon due.
func (a *Activities) RemindTask(ctx context.Context, ev workflows.TaskEvent) error {
	return a.tx(ctx, func(tx pgx.Tx) error {
		t := ev.Task
		return event(ctx, tx, t.ProcessID, fmt.Sprintf("task:%s:reminded:%d", t.ID, ev.Seq), "reminded", t.ID, "",
			map[string]any{"dueAt": t.DueAt})
	})
}

// CancelTask closes a task the process no longer needs.
func (a *Activities) CancelTask(ctx context.Context, ev workflows.TaskEvent) error {
	return a.tx(ctx, func(tx pgx.Tx) error {
		t := ev.Task
		if _, err := tx.Exec(ctx, `UPDATE tasks SET state = 'cancelled' WHERE id = $1 AND state = 'open'`, t.ID); err != nil {
			return Permanent(err)
		}
		return event(ctx, tx, t.ProcessID, "task:"+t.ID+":cancelled", "cancelled", t.ID, ev.By, nil)
	})
}

// RegisterProcess records a process, the school it belongs to and the pupil it is about, which
// decide who may read its history.
func (a *Activities) RegisterProcess(ctx context.Context, p workflows.Process) error {
	_, err := a.DB.Exec(ctx, `INSERT INTO processes (id, kind, school_id, subject_person) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO NOTHING`, p.ID, p.Kind, null(p.SchoolID), null(p.SubjectPerson))
	if err != nil {
		return Permanent(err)
	}
	return nil
}

// event appends to a process's history once per key.
func event(ctx context.Context, tx pgx.Tx, process, key, kind, task, actor string, detail map[string]any) error {
	if detail == nil {
		detail = map[string]any{}
	}
	d, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO process_events (process_id, event_key, kind, task_id, actor_id, detail)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (process_id, event_key) DO NOTHING`,
		process, key, kind, null(task), null(actor), d)
	return Permanent(err)
}

func assigneeDetail(t workflows.Task) map[string]any {
	d := map[string]any{}
	if t.Assignee.PersonID != "" {
		d["assignee"] = t.Assignee.PersonID
	}
	if t.Assignee.Role != "" {
		d["role"], d["org"] = t.Assignee.Role, t.Assignee.OrgID
	}
	if !t.DueAt.IsZero() {
		d["dueAt"] = t.DueAt
	}
	return d
}

// decision keeps the payload fields that are decisions (choices and yes/no); free text written
// by a person stays in the task's result and out of the history.
func decision(expects []workflows.Field, payload map[string]any) map[string]any {
	d := map[string]any{}
	for _, f := range expects {
		if v, ok := payload[f.Name]; ok && f.Type != "text" {
			d[f.Name] = v
		}
	}
	return d
}

// null maps "" to SQL NULL.
func null(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// nullTime maps the zero time to SQL NULL.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// RoleHolders answers who holds the role assignee's duty role in its school unit today, to be
// told of a task given to the role.
func (a *Activities) RoleHolders(ctx context.Context, role workflows.Assignee) ([]string, error) {
	rows, err := a.DB.Query(ctx, `SELECT DISTINCT d.person_id::text FROM duties d
		WHERE d.duty_role = $1 AND d.duty_at = $2 AND `+register.Active("d")+` ORDER BY 1`, role.Role, role.OrgID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
