package store_test

import (
	"strconv"
)

func strconvID(id int64) string { return strconv.FormatInt(id, 10) }
