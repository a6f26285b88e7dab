package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

// RequestHistory is a request with the steps of its history, oldest first, as Bulk.Requests
// writes them.
type RequestHistory struct {
	Request *phoihop.Request
	Steps   []phoihop.RequestStep
}

// Requests inserts the requests as they ended, each with the steps of its history, and sets
// the IDs of both. A request's sending agency is its sending unit's; it is normalised and
// validated as sent on its day, and its history must be one phoihop.RequestMachine allows
// (Request.CheckHistory), which the caller writes with each step's state and agency
// (Request.Move gives them) and without notes: Requests sets them. As if each step had been taken through the store: the request's
// version counts its steps, its created_* are those of its "send" and its updated_* those of
// its last step, and the inbox's news marks are the last step of each side. What the moves
// would do to other records (a verified tip, an agency joining a case) is not done: the caller
// writes those records as they ended.
func (b *Bulk) Requests(ctx context.Context, requests []*RequestHistory) error {
	today := b.s.today()
	steps := 0
	for i, h := range requests {
		r := h.Request
		from, err := b.agency("request", i, r.FromUnitID)
		if err != nil {
			return err
		}
		r.FromAgency = from
		r.Normalize()
		if err := r.Validate(today); err != nil {
			return fmt.Errorf("store: bulk request %d: %w", i, err)
		}
		if err := r.CheckHistory(h.Steps); err != nil {
			return fmt.Errorf("store: bulk request %d: %w", i, err)
		}
		for j := range h.Steps {
			h.Steps[j].Note = requestStepNote(r, h.Steps[j].Action)
		}
		first, last := h.Steps[0], h.Steps[len(h.Steps)-1]
		r.Audit = phoihop.Audit{Version: len(h.Steps), CreatedAt: first.At.UTC(), CreatedBy: first.UserID,
			UpdatedAt: last.At.UTC(), UpdatedBy: last.UserID}
		steps += len(h.Steps)
	}
	return b.s.inTx(ctx, func(tx *sqlx.Tx) error {
		ids, err := b.s.reserveIDs(ctx, tx, "requests", len(requests))
		if err != nil {
			return err
		}
		stepIDs, err := b.s.reserveIDs(ctx, tx, "request_steps", steps)
		if err != nil {
			return err
		}
		all := make([]*phoihop.RequestStep, 0, steps)
		news := make([][2]int64, len(requests)) // for the sender, for the receiver
		for i, h := range requests {
			h.Request.ID = ids[i]
			for j := range h.Steps {
				st := &h.Steps[j]
				st.ID, st.RequestID = stepIDs[len(all)], ids[i]
				// As addRequestStep: a step of the receiving agency is news for the sender.
				if st.Agency == h.Request.ToAgency {
					news[i][0] = st.ID
				} else {
					news[i][1] = st.ID
				}
				all = append(all, st)
			}
		}
		err = b.s.insertRows(ctx, tx, "requests", true, []string{"id", "kind", "from_agency", "from_unit", "to_agency",
			"to_unit", "subject", "content", "search", "sent_on", "due_on", "priority", "tip_id", "case_id",
			"exchange_id", "state", "reason", "result", "answered_on", "result_tip_id", "result_case_id",
			"result_exchange_id", "news_for_sender", "news_for_receiver",
			"version", "created_at", "created_by", "updated_at", "updated_by"}, len(requests), func(i int, a []any) []any {
			r := requests[i].Request
			return append(a, r.ID, r.Kind, r.FromAgency, r.FromUnitID, r.ToAgency, r.ToUnitID, r.Subject, r.Content,
				requestSearch(r), r.SentOn, r.DueOn, r.Priority, r.TipID, r.CaseID, r.ExchangeID, r.State, r.Reason,
				r.Result, r.AnsweredOn, r.ResultTipID, r.ResultCase, r.ResultExch, news[i][0], news[i][1],
				r.Version, r.CreatedAt, r.CreatedBy, r.UpdatedAt, r.UpdatedBy)
		})
		if err != nil {
			return err
		}
		return b.s.insertRows(ctx, tx, "request_steps", true, []string{"id", "request_id", "action", "state", "at",
			"user_id", "username", "agency", "note"}, len(all), func(i int, a []any) []any {
			st := all[i]
			return append(a, st.ID, st.RequestID, st.Action, st.State, st.At.UTC(), st.UserID, st.Username,
				st.Agency, st.Note)
		})
	})
}

// requestStepNote is the note MoveRequest gives a step of the action on r as it ended: the
// reason of a decline or a withdrawal, the result of an answer, none else.
func requestStepNote(r *phoihop.Request, action string) string {
	switch action {
	case "decline", "withdraw":
		return r.Reason
	case "answer":
		return r.Result
	}
	return ""
}
