// Package policies embeds the Casbin model of phoihop's authorization and the default
// permissions of its roles.
package policies

import _ "embed"

// Model is model.conf: role-based access with agency domains.
//
//go:embed model.conf
var Model string

// Policy is policy.csv: the default permissions of the roles officer, leader, analyst, admin.
//
//go:embed policy.csv
var Policy string
