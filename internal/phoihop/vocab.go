package phoihop

// Vocabularies fixed by DESIGN.md and the migrations' CHECK constraints.
var (
	CrimeTypes     = []string{"drugs", "smuggling", "weapons", "trafficking", "other"}
	Areas          = []string{"border", "inland", "sea"}
	CaseStatuses   = []string{CaseOpen, CaseConcluded, CaseSuspended}
	Genders        = []string{"male", "female", "unknown"}
	ExchangeKinds  = []string{"periodic", "ad_hoc", "phone", "document"}
	TipStatuses    = []string{TipNew, TipVerifying, TipValuable, TipNotValuable}
	ItemCategories = []string{"synthetic_drug_pills", "heroin", "methamphetamine", "cannabis", "opium",
		"ketamine", "homemade_gun", "firearm", "ammunition", "knife", "car", "motorbike", "cash_vnd", "phone"}
	// LocationTypes of a seizure (UNODC seizure-report vocabulary).
	LocationTypes = []string{"airport", "seaport", "border_crossing", "road", "rail", "postal", "dwelling",
		"warehouse", "commercial_premises", "waters", "other"}
	// TransportModes of a seizure (UNODC seizure-report vocabulary).
	TransportModes = []string{"aircraft", "vessel", "truck", "car_motorbike", "mail", "train_bus", "on_foot", "other"}
)

// Case statuses.
const (
	CaseOpen      = "open"
	CaseConcluded = "concluded"
	CaseSuspended = "suspended"
)

// Tip statuses: new → verifying → valuable / not valuable.
const (
	TipNew         = "new"
	TipVerifying   = "verifying"
	TipValuable    = "valuable"
	TipNotValuable = "not_valuable"
)
