package phoihop

import (
	"slices"
	"strings"
)

// Permission is one cell of the role/permission matrix, stored as a Casbin "p" rule: holders
// of Role in Domain (an agency code, or DomainAll for every agency) may do Action on Object.
type Permission struct {
	Role   string `json:"role"`
	Domain string `json:"domain"`
	Object string `json:"object"`
	Action string `json:"action"`
}

// PermissionObjects is the vocabulary of the permission matrix: each object and the actions
// on it that a route may require (policies/policy.csv uses exactly these).
var PermissionObjects = map[string][]string{
	"record":    {"read", "write"},
	"report":    {"read", "approve"},
	"audit":     {"read"},
	"user":      {"manage"},
	"unit":      {"manage"},
	"role":      {"manage"},
	"reference": {"manage"},
}

// PermissionObjectOrder lists the keys of PermissionObjects in the order the matrix shows them.
var PermissionObjectOrder = []string{"record", "report", "audit", "user", "unit", "role", "reference"}

// Normalize trims the permission's fields and upper-cases its domain (agency codes).
func (p *Permission) Normalize() {
	p.Role = strings.TrimSpace(p.Role)
	p.Domain = strings.ToUpper(strings.TrimSpace(p.Domain))
	p.Object = strings.TrimSpace(p.Object)
	p.Action = strings.TrimSpace(p.Action)
}

// Validate checks the role, the object and the action against Roles and PermissionObjects and
// that the domain is DomainAll or an agency code (whether the agency exists is the store's
// check); it returns an EInvalid *Error naming each bad field.
func (p *Permission) Validate() error {
	f := FieldErrors{}
	if !slices.Contains(Roles, p.Role) {
		f.Add("role", "Choose a role from the list: officer, leader, analyst or admin.")
	}
	if p.Domain != DomainAll && !IsAgencyCode(p.Domain) {
		f.Add("domain", "Choose an agency code (CA, BP, CSB, HQ) or * for all agencies.")
	}
	actions, ok := PermissionObjects[p.Object]
	switch {
	case !ok:
		f.Add("object", "Choose an object from the list.")
	case !slices.Contains(actions, p.Action):
		f.Add("action", "Choose an action allowed on this object.")
	}
	return f.Err()
}
