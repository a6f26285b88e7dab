package auth

import (
	_ "embed"
	"strings"
	"sync"

	"phoihop/internal/phoihop"
)

// The common-password lists: common_passwords.txt is the zxcvbn-ts list (npm
// @zxcvbn-ts/language-common, see web/package.json "passwords") of passwords of 8 characters or
// more, in lower case; common_passwords_vi.txt adds ones Vietnamese users pick.
var (
	//go:embed common_passwords.txt
	commonPasswordsEN string
	//go:embed common_passwords_vi.txt
	commonPasswordsVI string

	commonOnce sync.Once
	common     map[string]struct{}
)

func isCommon(pw string) bool {
	commonOnce.Do(func() {
		common = make(map[string]struct{}, 20000)
		for _, list := range []string{commonPasswordsEN, commonPasswordsVI} {
			for _, line := range strings.Split(list, "\n") {
				if line = strings.TrimSpace(line); line != "" {
					common[line] = struct{}{}
				}
			}
		}
	})
	_, ok := common[strings.ToLower(pw)]
	return ok
}

// CheckNewPassword applies the password rules of DESIGN.md to a new password of the user
// username: 8 to 128 characters, no composition rules, not a common password and not the
// username. Errors are EInvalid on the field given.
func CheckNewPassword(pw, username, field string) error {
	if err := phoihop.ValidatePassword(pw); err != nil {
		return &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
			Fields: map[string]string{field: err.(*phoihop.Error).Fields["password"]}}
	}
	msg := ""
	switch lower := strings.ToLower(pw); {
	case isCommon(pw):
		msg = "This password is one of the most common ones; choose another."
	case username != "" && strings.Contains(lower, strings.ToLower(username)):
		msg = "The password must not contain the username."
	}
	if msg != "" {
		return &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.", Fields: map[string]string{field: msg}}
	}
	return nil
}
