package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

const planTaskColumns = `id, agreement_id, title, agency, unit_id, due_on, status, done_on, result,
	deleted_at, deleted_by, delete_reason, version, created_at, created_by, updated_at, updated_by`

// PlanTaskItem is a plan task as the plan's page lists it: with its responsible unit's code
// and name ("" when the task names no unit).
type PlanTaskItem struct {
	phoihop.PlanTask
	UnitCode string `db:"unit_code" json:"unit_code"`
	UnitName string `db:"unit_name" json:"unit_name"`
}

// planTaskKind is how the write helpers every kind shares (write.go) handle plan tasks: like
// the plan itself, a task is changed by the writers of any of the plan's parties; its changes
// are audited in the responsible agency's domain when the writer works for it, else in that
// of the first party the writer works for.
var planTaskKind = kind[phoihop.PlanTask]{
	versioned: versioned{table: "plan_tasks", entity: "plan_task", removable: true},
	prepare: func(_ *Store, t *phoihop.PlanTask) error {
		t.Normalize()
		return nil // checkPlanTask validates, with the plan
	},
	read: (*Store).planTaskWhere,
	owners: func(t *phoihop.PlanTask) []string {
		return append([]string{t.Agency}, t.PlanAgencies...)
	},
	forbidden: "Only the agencies that signed this plan can change its tasks.",
	fields: func(t *phoihop.PlanTask) (*int64, *phoihop.Removal, *phoihop.Audit) {
		return &t.ID, &t.Removal, &t.Audit
	},
}

// PlanTaskByID returns the plan task id when sc reads its plan (one of the plan's parties in
// sc.Read), with the plan's parties in PlanAgencies; a task of a plan outside sc, or a removed
// task or plan when !sc.Removed, is ENotFound.
func (s *Store) PlanTaskByID(ctx context.Context, sc Scope, id int64) (*phoihop.PlanTask, error) {
	return s.planTaskWhere(ctx, s.db, sc, id)
}

// planTaskWhere loads the task id readable in sc with its plan's parties, else ENotFound.
func (s *Store) planTaskWhere(ctx context.Context, q sqlx.QueryerContext, sc Scope, id int64) (*phoihop.PlanTask, error) {
	readable, args := agreementReadable(sc)
	var t phoihop.PlanTask
	err := s.getOne(ctx, q, &t, "plan task", `SELECT `+prefixColumns("t.", planTaskColumns)+`
		FROM plan_tasks t JOIN agreements g ON g.id = t.agreement_id
		WHERE t.id = ? AND `+readable+notRemoved(sc, "t"), append([]any{id}, args...)...)
	if err != nil {
		return nil, err
	}
	err = s.setAgencies(ctx, q, "agreement_agencies", "agreement_id", 1, func(int) (int64, *[]string) {
		return t.AgreementID, &t.PlanAgencies
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// PlanTasksOfAgreement returns the tasks of the plan agreementID, by due date then id, each
// with its unit's code and name; removed tasks only when sc.Removed. A plan sc does not read
// (or a removed one, when !sc.Removed) is ENotFound.
func (s *Store) PlanTasksOfAgreement(ctx context.Context, sc Scope, agreementID int64) ([]PlanTaskItem, error) {
	if _, err := s.agreementWhere(ctx, s.db, sc, agreementID); err != nil {
		return nil, err
	}
	return s.planTasksOf(ctx, sc, agreementID)
}

// planTasksOf lists the tasks of a plan the caller has checked sc reads.
func (s *Store) planTasksOf(ctx context.Context, sc Scope, agreementID int64) ([]PlanTaskItem, error) {
	q := `SELECT ` + prefixColumns("t.", planTaskColumns) + `, COALESCE(u.code, '') AS unit_code,
		COALESCE(u.name, '') AS unit_name
		FROM plan_tasks t LEFT JOIN units u ON u.id = t.unit_id
		WHERE t.agreement_id = ?` + notRemoved(sc, "t") + ` ORDER BY t.due_on, t.id`
	items := []PlanTaskItem{}
	if err := s.db.SelectContext(ctx, &items, s.db.Rebind(q), agreementID); err != nil {
		return nil, fmt.Errorf("store: tasks of plan: %w", err)
	}
	return items, nil
}

// CreatePlanTask validates t and records it as a task of the plan t.AgreementID, with its
// audit entry "plan_task.create"; on success t holds the task as stored (ID, Version, who and
// when, the plan's parties), and a refused create leaves t as it was. A plan sc does not read,
// or a removed one, is ENotFound; one none of whose parties sc writes EForbidden. Bad fields
// are EInvalid on their field: an agency that is not a party of the plan ("agency"), a unit
// that is not one of the agency's ("unit"), a due date or a day done before the plan was
// signed ("due_on", "done_on").
func (s *Store) CreatePlanTask(ctx context.Context, a phoihop.Actor, sc Scope, t *phoihop.PlanTask) error {
	return planTaskKind.save(ctx, s, t, func(tx *sqlx.Tx, n *phoihop.PlanTask) error {
		if err := s.checkPlanTask(ctx, tx, sc, n); err != nil {
			return err
		}
		return planTaskKind.insert(ctx, s, tx, a, sc, n, `agreement_id, title, agency, unit_id, due_on, status,
			done_on, result`, n.AgreementID, n.Title, n.Agency, n.UnitID, n.DueOn, n.Status, n.DoneOn, n.Result)
	})
}

// UpdatePlanTask validates t and saves it over the task t.ID with its audit entry
// "plan_task.update" (marking a task done is such an update: status done, the day done and
// the result); t.Version is the version the caller last read: a stale one is EConflict and
// changes nothing. A task sc does not read, a removed one, or one of another plan than a
// non-zero t.AgreementID is ENotFound; one of a plan none of whose parties sc writes
// EForbidden. Fields are checked as in CreatePlanTask. On success t holds the saved task; a
// refused update leaves t as it was.
func (s *Store) UpdatePlanTask(ctx context.Context, a phoihop.Actor, sc Scope, t *phoihop.PlanTask) error {
	return planTaskKind.saveOver(ctx, s, sc, t, func(tx *sqlx.Tx, before, n *phoihop.PlanTask) error {
		if n.AgreementID != 0 && n.AgreementID != before.AgreementID {
			return notFound("plan task")
		}
		n.AgreementID = before.AgreementID
		if err := s.checkPlanTask(ctx, tx, sc, n); err != nil {
			return err
		}
		return planTaskKind.update(ctx, s, tx, a, sc, before, n, `title = ?, agency = ?, unit_id = ?, due_on = ?,
			status = ?, done_on = ?, result = ?`, n.Title, n.Agency, n.UnitID, n.DueOn, n.Status, n.DoneOn, n.Result)
	})
}

// RemovePlanTask removes the task id (a soft delete: hidden from the plan's page and the
// report, kept with who removed it, when and why), with its audit entry "plan_task.remove".
// version is the version the caller read: a stale one is EConflict and changes nothing;
// reason is required (1–500 characters, else EInvalid on "reason"). Visibility and writers
// are as in UpdatePlanTask.
func (s *Store) RemovePlanTask(ctx context.Context, a phoihop.Actor, sc Scope, id int64, version int, reason string) error {
	return planTaskKind.remove(ctx, s, a, sc, id, version, reason)
}

// checkPlanTask checks a prepared task against its plan, read inside tx: the plan readable
// and not removed (else ENotFound), one of its parties written by sc (else EForbidden), the
// agency one of its parties, the unit one of the agency's, the days not before the signing.
// It sets t.PlanAgencies.
func (s *Store) checkPlanTask(ctx context.Context, tx *sqlx.Tx, sc Scope, t *phoihop.PlanTask) error {
	plan, err := s.agreementWhere(ctx, tx, Scope{Read: sc.Read}, t.AgreementID)
	if err != nil {
		return err
	}
	t.PlanAgencies = plan.Agencies
	if !slices.ContainsFunc(plan.Agencies, sc.CanWrite) {
		return &phoihop.Error{Code: phoihop.EForbidden, Message: planTaskKind.forbidden}
	}
	f := phoihop.FieldErrors{}
	var invalid *phoihop.Error
	if errors.As(t.Validate(s.today()), &invalid) {
		maps.Copy(f, invalid.Fields)
	}
	if t.Agency != "" && !slices.Contains(plan.Agencies, t.Agency) {
		f.Add("agency", "Choose one of the agencies that signed the plan.")
	}
	if t.UnitID != nil {
		u, err := s.unitWhere(ctx, tx, "id = ?", *t.UnitID)
		switch {
		case phoihop.ErrorCode(err) == phoihop.ENotFound:
			f.Add("unit", "The unit does not exist.")
		case err != nil:
			return err
		case u.Agency != t.Agency:
			f.Add("unit", "Choose a unit of the responsible agency.")
		}
	}
	if !t.DueOn.IsZero() && t.DueOn.Before(plan.SignedOn) {
		f.Add("due_on", "The due date cannot be before the plan was signed.")
	}
	if !t.DoneOn.IsZero() && t.DoneOn.Before(plan.SignedOn) {
		f.Add("done_on", "The task cannot be done before the plan was signed.")
	}
	return f.Err()
}

// checkTaskParties refuses (EInvalid on "agencies") a change of the plan id's parties that
// would leave out an agency responsible for one of its tasks (not removed).
func (s *Store) checkTaskParties(ctx context.Context, tx *sqlx.Tx, id int64, agencies []string) error {
	var responsible []string
	err := tx.SelectContext(ctx, &responsible, tx.Rebind(`SELECT DISTINCT agency FROM plan_tasks
		WHERE agreement_id = ? AND deleted_at IS NULL`), id)
	if err != nil {
		return fmt.Errorf("store: plan task agencies: %w", err)
	}
	for _, a := range responsible {
		if !slices.Contains(agencies, a) {
			return &phoihop.Error{Code: phoihop.EInvalid, Message: "An agency responsible for tasks of the plan stays among its parties.",
				Fields: map[string]string{"agencies": "An agency responsible for tasks of the plan stays among its parties."}}
		}
	}
	return nil
}
