package absence_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/internal/pgtest"
)

// A retried activity (the worker crashed after the insert but before reporting it) finds its
// row and writes nothing more: the guardians get one notice.
func TestStoreAbsenceNoticeIsIdempotent(t *testing.T) {
	db := pgtest.New(t)
	a := &absence.Activities{DB: db}
	student := uuid.NewString()
	n := absence.AbsenceNotice{
		ProcessID: absence.AbsenceDayID(student, "2026-11-30"),
		Sequence:  1,
		StudentID: student,
		Day:       "2026-11-30",
		LessonIDs: []string{uuid.NewString(), uuid.NewString()},
	}
	for range 3 {
		if err := a.StoreAbsenceNotice(context.Background(), n); err != nil {
			t.Fatal(err)
		}
	}
	var rows, lessons int
	if err := db.QueryRow(context.Background(),
		"SELECT count(*), max(cardinality(lesson_ids)) FROM absence_notices WHERE student_id = $1", student).Scan(&rows, &lessons); err != nil {
		t.Fatal(err)
	}
	if rows != 1 || lessons != 2 {
		t.Fatalf("rows = %d with %d lessons, want 1 row with 2 lessons", rows, lessons)
	}
}

// Data the database rejects is a permanent failure (not retried for ever), and the error does
// not carry the rejected values.
func TestStoreAbsenceNoticeRejectsBadDataPermanently(t *testing.T) {
	a := &absence.Activities{DB: pgtest.New(t)}
	err := a.StoreAbsenceNotice(context.Background(), absence.AbsenceNotice{
		ProcessID: "absence:x:2026-11-30", Sequence: 1, StudentID: "not-a-uuid", Day: "2026-11-30",
		LessonIDs: []string{uuid.NewString()},
	})
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || !appErr.NonRetryable() {
		t.Fatalf("err = %v, want a non-retryable application error", err)
	}
	if strings.Contains(appErr.Error(), "not-a-uuid") {
		t.Fatalf("error %q echoes the rejected value", appErr.Error())
	}
}
