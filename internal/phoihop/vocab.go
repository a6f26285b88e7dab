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
	// SourceReliabilities grade the source of a tip on the 4×4 scale European police use: A
	// reliable, B usually reliable, C not usually reliable, X cannot be judged.
	SourceReliabilities = []string{"A", "B", "C", "X"}
	// InformationValidities grade the information of a tip on the same scale: 1 known to be
	// true, 2 known personally to the source, 3 not known personally to the source but
	// corroborated, 4 cannot be judged.
	InformationValidities = []string{"1", "2", "3", "4"}
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
