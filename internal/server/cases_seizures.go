package server

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
	"phoihop/internal/request"
)

func readSeizureForm(c *gin.Context) (seizureForm, *phoihop.Seizure, phoihop.FieldErrors) {
	f := seizureForm{Category: c.PostForm("category"), Quantity: c.PostForm("quantity"), SeizedOn: c.PostForm("seized_on"),
		SeizingUnit: c.PostForm("seizing_unit"), LocationType: c.PostForm("location_type"),
		TransportMode: c.PostForm("transport_mode"), Departure: c.PostForm("departure_country"),
		Destination: c.PostForm("destination_country"), Description: c.PostForm("description"), Version: request.Version(c)}
	fe := phoihop.FieldErrors{}
	opt := func(v string) *string { return &v }
	z := &phoihop.Seizure{Category: f.Category, Description: f.Description,
		LocationType: opt(f.LocationType), TransportMode: opt(f.TransportMode),
		DepartureCountry: opt(f.Departure), DestinationCountry: opt(f.Destination)}
	z.Version = f.Version
	if strings.TrimSpace(f.Quantity) == "" {
		fe.Add("quantity", "Enter a quantity greater than zero, e.g. 9,8 or 3.973.")
	} else if q, err := phoihop.ParseQuantity(f.Quantity); err != nil {
		fe.Add("quantity", "Enter a quantity greater than zero, e.g. 9,8 or 3.973.")
	} else {
		z.Quantity = q
	}
	z.SeizedOn = request.Date(f.SeizedOn, "seized_on", dateError, fe)
	z.SeizingUnitID = request.ID(f.SeizingUnit, "seizing_unit", "Choose the seizing unit.", fe)
	return f, z, fe
}

func formOfSeizure(z *phoihop.Seizure, lang string) seizureForm {
	deref := func(v *string) string {
		if v == nil {
			return ""
		}
		return *v
	}
	return seizureForm{Category: z.Category, Quantity: z.Quantity.Format(lang), SeizedOn: z.SeizedOn.FormatVN(),
		SeizingUnit: strconv.FormatInt(z.SeizingUnitID, 10), LocationType: deref(z.LocationType),
		TransportMode: deref(z.TransportMode), Departure: deref(z.DepartureCountry),
		Destination: deref(z.DestinationCountry), Description: z.Description, Version: z.Version}
}

// seizures are the seizures of a case on its page (caseRecordKind).
func (s *Server) seizures() caseRecordKind[seizureForm, phoihop.Seizure, *phoihop.Seizure] {
	return caseRecordKind[seizureForm, phoihop.Seizure, *phoihop.Seizure]{
		name: "seizure", plural: "seizures", param: "zid", reason: "reason-z-", editTitle: "cases.seizure.edit_title",
		notFound: "The seizure was not found.", forbidden: "Only the seizing agency can edit this seizure.",
		fields: seizureFields, read: readSeizureForm, formOf: formOfSeizure,
		setForm: func(p *caseShowPage, f seizureForm) { p.SeizureForm = f },
		key:     func(z *phoihop.Seizure) (*int64, *int64) { return &z.ID, &z.CaseID },
		unitOf:  func(z *phoihop.Seizure) (int64, string) { return z.SeizingUnitID, z.Agency },
		byID:    s.deps.Store.SeizureByID,
		create:  s.deps.Store.CreateSeizure, update: s.deps.Store.UpdateSeizure, remove: s.deps.Store.RemoveSeizure,
	}
}
