package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// ScaleCounts are the numbers of records Scale inserted.
type ScaleCounts struct {
	Cases, Suspects, Seizures, Exchanges, Tips, Requests int
}

// ScaleBlock is the number of seizures Scale adds per unit of n; with them come 2 % as many
// cases, 20 %, 10 % and 10 % as many suspects, exchanges and tips, and 1 % as many requests
// between agencies.
const ScaleBlock = 100_000

// ErrNoProvince is returned by Scale when the police, the border guard or customs has no unit
// in service.
var ErrNoProvince = errors.New("demo: load the demo province first (phoihop demo)")

// scaleBatch is the number of records written per transaction.
const scaleBatch = 5000

// Scale adds n × ScaleBlock seizures to the province with proportionate cases, suspects,
// information exchanges (2 to 4 units of different agencies each), tips and requests between
// agencies with their histories (scale_requests.go), dated over the ten years ending today
// (Vietnam time) by the units in service today: a large province for the performance of
// reports and pages. The data is the same for the same database and day (a fixed seed);
// it is written in batches without per-record audit, one audit entry ("demo.scale") records
// the whole generation, and the planner's statistics are refreshed at the end. n is 1 to 100 (EInvalid on "n" otherwise); progress receives a
// line per batch (io.Discard for none).
func Scale(ctx context.Context, st *store.Store, n int, progress io.Writer) (ScaleCounts, error) {
	if n < 1 || n > 100 {
		f := phoihop.FieldErrors{}
		f.Add("n", "Choose a scale from 1 to 100.")
		return ScaleCounts{}, f.Err()
	}
	return scale(ctx, st, n, ScaleBlock, progress)
}

// scaleGen generates the records of one Scale run.
type scaleGen struct {
	rng          *rand.Rand
	start, today phoihop.Date
	units        []phoihop.Unit
	next         int // number of the next case code
	// req draws the requests from a stream of its own: adding them left the other records
	// as they were.
	req      *rand.Rand
	officers map[string][]phoihop.Actor // the active officers of each agency
}

// scale is Scale with the number of seizures per block as a knob for the tests.
func scale(ctx context.Context, st *store.Store, n, block int, progress io.Writer) (ScaleCounts, error) {
	var total ScaleCounts
	today := phoihop.Today(st.Now())
	units, err := st.Units(ctx, store.UnitFilter{ActiveOn: today})
	if err != nil {
		return total, fmt.Errorf("demo: scale: %w", err)
	}
	for _, agency := range []string{"CA", "BP", "HQ"} {
		if !slices.ContainsFunc(units, func(u phoihop.Unit) bool { return u.Agency == agency }) {
			return total, ErrNoProvince
		}
	}
	b, err := st.NewBulk(ctx, phoihop.SystemActor("demo"))
	if err != nil {
		return total, fmt.Errorf("demo: scale: %w", err)
	}
	before, err := b.Counts(ctx)
	if err != nil {
		return total, fmt.Errorf("demo: scale: %w", err)
	}
	officers, err := scaleOfficers(ctx, st)
	if err != nil {
		return total, fmt.Errorf("demo: scale: %w", err)
	}
	g := &scaleGen{rng: rand.New(rand.NewPCG(20160512, uint64(before.Cases))), start: today.AddDays(-3652),
		today: today, units: units, next: before.Cases + 1,
		req: rand.New(rand.NewPCG(20160513, uint64(before.Requests))), officers: officers}
	began := time.Now()
	for i := range n {
		c, err := g.block(ctx, b, block)
		total.Cases += c.Cases
		total.Suspects += c.Suspects
		total.Seizures += c.Seizures
		total.Exchanges += c.Exchanges
		total.Tips += c.Tips
		total.Requests += c.Requests
		if err != nil {
			return total, fmt.Errorf("demo: scale: %w", err)
		}
		fmt.Fprintf(progress, "scale %d/%d: %d cases, %d suspects, %d seizures, %d exchanges, %d tips, %d requests (%s)\n",
			i+1, n, total.Cases, total.Suspects, total.Seizures, total.Exchanges, total.Tips, total.Requests,
			time.Since(began).Round(time.Second))
	}
	if err := st.Analyze(ctx); err != nil {
		return total, fmt.Errorf("demo: scale: %w", err)
	}
	err = st.Audit(ctx, phoihop.SystemActor("demo"), "demo.scale", "", 0, "", map[string]any{"n": n, "inserted": total})
	if err != nil {
		return total, fmt.Errorf("demo: scale: %w", err)
	}
	return total, nil
}

// scaleCase is what the records of a generated case need of it.
type scaleCase struct {
	id       int64
	code     string
	title    string
	crime    string
	from, to phoihop.Date // fought from, to
	lead     int64        // the lead unit
	agencies []string     // the agencies taking part
	units    []int64      // units of its agencies in service since it was opened
}

// block writes the records of one block of seizures.
func (g *scaleGen) block(ctx context.Context, b *store.Bulk, seizures int) (ScaleCounts, error) {
	var done ScaleCounts
	cases, err := g.cases(ctx, b, max(1, seizures/50))
	done.Cases = len(cases)
	if err != nil {
		return done, err
	}
	done.Seizures, err = scaleWrite(ctx, seizures, func(int) *phoihop.Seizure { return g.seizure(cases) }, b.Seizures)
	if err != nil {
		return done, err
	}
	done.Suspects, err = scaleWrite(ctx, seizures/5, func(int) *phoihop.Suspect { return g.suspect(cases) }, b.Suspects)
	if err != nil {
		return done, err
	}
	exchanges := make([]*phoihop.Exchange, 0, seizures/10)
	done.Exchanges, err = scaleWrite(ctx, seizures/10, func(int) *phoihop.Exchange {
		e := g.exchange()
		exchanges = append(exchanges, e)
		return e
	}, b.Exchanges)
	if err != nil {
		return done, err
	}
	tips := make([]*phoihop.Tip, 0, seizures/10)
	done.Tips, err = scaleWrite(ctx, seizures/10, func(int) *phoihop.Tip {
		t := g.tip(cases, exchanges)
		tips = append(tips, t)
		return t
	}, b.Tips)
	if err != nil {
		return done, err
	}
	done.Requests, err = g.requests(ctx, b, cases, tips, seizures/scaleRequestEvery)
	return done, err
}

// scaleWrite makes n records and writes them in batches; it returns how many were written.
func scaleWrite[T any](ctx context.Context, n int, gen func(i int) *T, write func(context.Context, []*T) error) (int, error) {
	batch := make([]*T, 0, min(n, scaleBatch))
	written := 0
	for i := range n {
		batch = append(batch, gen(i))
		if len(batch) == scaleBatch || i == n-1 {
			if err := write(ctx, batch); err != nil {
				return written, err
			}
			written += len(batch)
			batch = batch[:0]
		}
	}
	return written, nil
}

// between returns a day from a to b inclusive (a when b is before a).
func (g *scaleGen) between(a, b phoihop.Date) phoihop.Date {
	span := int(b.Time().Sub(a.Time()).Hours() / 24)
	if span <= 0 {
		return a
	}
	return a.AddDays(g.rng.IntN(span + 1))
}

// scaleLater returns the later of two days.
func scaleLater(a, b phoihop.Date) phoihop.Date {
	if a.After(b) {
		return a
	}
	return b
}

// scaleEarlier returns the earlier of two days.
func scaleEarlier(a, b phoihop.Date) phoihop.Date {
	if a.Before(b) {
		return a
	}
	return b
}

// weighted picks one of the choices with the weights.
func (g *scaleGen) weighted(choices []string, weights []int) string {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	r := g.rng.IntN(sum)
	for i, w := range weights {
		if r < w {
			return choices[i]
		}
		r -= w
	}
	return choices[len(choices)-1]
}

// unitsOf returns the units of the agencies (all when agencies is nil) in service since on.
func (g *scaleGen) unitsOf(agencies []string, on phoihop.Date) []phoihop.Unit {
	var out []phoihop.Unit
	for _, u := range g.units {
		if !u.ValidFrom.After(on) && (agencies == nil || slices.Contains(agencies, u.Agency)) {
			out = append(out, u)
		}
	}
	return out
}

func (g *scaleGen) cases(ctx context.Context, b *store.Bulk, n int) ([]scaleCase, error) {
	out := make([]scaleCase, 0, n)
	batch := make([]*phoihop.Case, 0, min(n, scaleBatch))
	for i := range n {
		lead := g.units[g.rng.IntN(len(g.units))]
		opened := g.between(scaleLater(g.start, lead.ValidFrom), g.today)
		crime := g.weighted(phoihop.CrimeTypes, []int{60, 20, 10, 5, 5})
		c := &phoihop.Case{Code: fmt.Sprintf("QM-%07d", g.next), CrimeType: crime, LeadUnitID: lead.ID,
			Area: g.weighted(phoihop.Areas, []int{70, 25, 5}), OpenedOn: opened, Status: phoihop.CaseOpen}
		g.next++
		c.Title = "Chuyên án " + c.Code + ": " + scaleTitles[crime][g.rng.IntN(len(scaleTitles[crime]))]
		c.Summary = "Chuyên án phối hợp lập để đấu tranh với " + scaleTitles[crime][g.rng.IntN(len(scaleTitles[crime]))] + "."
		var others []string
		for _, u := range g.unitsOf(nil, opened) {
			if u.Agency != lead.Agency && !slices.Contains(others, u.Agency) {
				others = append(others, u.Agency)
			}
		}
		g.rng.Shuffle(len(others), func(i, j int) { others[i], others[j] = others[j], others[i] })
		c.Agencies = append([]string{lead.Agency}, others[:min(len(others), g.rng.IntN(3))]...)
		fought := g.today
		switch r := g.rng.IntN(10); {
		case r < 7 && g.today.Time().Sub(opened.Time()) > 60*24*time.Hour:
			c.Status, c.ClosedOn = phoihop.CaseConcluded, g.between(opened.AddDays(30), scaleEarlier(opened.AddDays(900), g.today))
			fought = c.ClosedOn
		case r == 7:
			c.Status = phoihop.CaseSuspended
		}
		sc := scaleCase{code: c.Code, title: c.Title, crime: crime, from: opened, to: fought, lead: lead.ID,
			agencies: c.Agencies}
		for _, u := range g.unitsOf(c.Agencies, opened) {
			sc.units = append(sc.units, u.ID)
		}
		out = append(out, sc)
		batch = append(batch, c)
		if len(batch) == scaleBatch || i == n-1 {
			if err := b.Cases(ctx, batch); err != nil {
				return out[:len(out)-len(batch)], err
			}
			for j, c := range batch {
				out[len(out)-len(batch)+j].id = c.ID
			}
			batch = batch[:0]
		}
	}
	return out, nil
}

// scaleCategories are the item categories seized in cases of each crime type.
var scaleCategories = map[string][]string{
	"drugs":       {"synthetic_drug_pills", "heroin", "methamphetamine", "cannabis", "opium", "ketamine", "motorbike", "phone", "cash_vnd"},
	"smuggling":   {"cash_vnd", "car", "motorbike", "phone"},
	"weapons":     {"homemade_gun", "firearm", "ammunition", "knife"},
	"trafficking": {"cash_vnd", "phone", "motorbike"},
	"other":       {"knife", "motorbike", "phone", "cash_vnd"},
}

// scaleQuantity returns a plausible quantity of a category, in thousandths of its unit.
func (g *scaleGen) quantity(category string) phoihop.Quantity {
	switch category {
	case "synthetic_drug_pills":
		return phoihop.Quantity(1000 * (1 + g.rng.Int64N(5000)))
	case "heroin", "methamphetamine", "cannabis", "opium", "ketamine":
		return phoihop.Quantity(100 + g.rng.Int64N(3_000_000)) // 0.1 g to 3 kg
	case "ammunition":
		return phoihop.Quantity(1000 * (1 + g.rng.Int64N(200)))
	case "cash_vnd":
		return phoihop.Quantity(1000 * 100_000 * (1 + g.rng.Int64N(5000)))
	}
	return phoihop.Quantity(1000 * (1 + g.rng.Int64N(3)))
}

func (g *scaleGen) seizure(cases []scaleCase) *phoihop.Seizure {
	c := &cases[g.rng.IntN(len(cases))]
	cats := scaleCategories[c.crime]
	z := &phoihop.Seizure{CaseID: c.id, SeizingUnitID: c.units[g.rng.IntN(len(c.units))],
		SeizedOn: g.between(c.from, c.to)}
	if g.rng.IntN(4) == 0 {
		z.Category = cats[g.rng.IntN(len(cats))]
	} else {
		z.Category = cats[g.rng.IntN(min(len(cats), 3))]
	}
	z.Quantity = g.quantity(z.Category)
	if g.rng.IntN(3) > 0 {
		lt := phoihop.LocationTypes[g.rng.IntN(len(phoihop.LocationTypes))]
		tm := phoihop.TransportModes[g.rng.IntN(len(phoihop.TransportModes))]
		from, to := scaleCountries[g.rng.IntN(len(scaleCountries))], "VN"
		z.LocationType, z.TransportMode, z.DepartureCountry, z.DestinationCountry = &lt, &tm, &from, &to
	}
	z.Description = "Thu giữ khi bắt quả tang tại " + scalePlaces[g.rng.IntN(len(scalePlaces))]
	return z
}

func (g *scaleGen) suspect(cases []scaleCase) *phoihop.Suspect {
	c := &cases[g.rng.IntN(len(cases))]
	sp := &phoihop.Suspect{CaseID: c.id, ArrestingUnitID: c.units[g.rng.IntN(len(c.units))],
		ArrestedOn: g.between(c.from, c.to), Gender: g.weighted(phoihop.Genders, []int{85, 13, 2}),
		Nationality: g.weighted([]string{"VN", "KH", "LA", "CN"}, []int{85, 8, 4, 3})}
	if g.rng.IntN(10) > 0 {
		y := 1955 + g.rng.IntN(50)
		sp.BirthYear = &y
	}
	sp.FullName = scaleFamily[g.rng.IntN(len(scaleFamily))] + " " + scaleMiddle[g.rng.IntN(len(scaleMiddle))] + " " +
		scaleGiven[g.rng.IntN(len(scaleGiven))]
	if sp.Nationality == "VN" {
		sp.IDNumber = fmt.Sprintf("0700%08d", g.rng.IntN(100_000_000))
		sp.Address = scalePlaces[g.rng.IntN(len(scalePlaces))]
	}
	return sp
}

func (g *scaleGen) exchange() *phoihop.Exchange {
	held := g.between(g.start, g.today)
	units := g.unitsOf(nil, held)
	var agencies []string
	for _, u := range units {
		if !slices.Contains(agencies, u.Agency) {
			agencies = append(agencies, u.Agency)
		}
	}
	if len(agencies) < 2 { // too few units in service then: held today instead
		held, units, agencies = g.today, g.units, []string{"CA", "BP", "HQ"}
	}
	g.rng.Shuffle(len(agencies), func(i, j int) { agencies[i], agencies[j] = agencies[j], agencies[i] })
	agencies = agencies[:2+g.rng.IntN(min(3, len(agencies)-1))]
	e := &phoihop.Exchange{HeldOn: held, Kind: g.weighted(phoihop.ExchangeKinds, []int{30, 25, 35, 10})}
	for _, a := range agencies {
		of := g.unitsOf([]string{a}, held)
		if len(of) == 0 {
			continue
		}
		e.UnitIDs = append(e.UnitIDs, of[g.rng.IntN(len(of))].ID)
	}
	e.OrganizingUnitID = e.UnitIDs[0]
	e.Summary = "Trao đổi thông tin về tình hình tội phạm tại " + scalePlaces[g.rng.IntN(len(scalePlaces))]
	return e
}

func (g *scaleGen) tip(cases []scaleCase, exchanges []*phoihop.Exchange) *phoihop.Tip {
	u := g.units[g.rng.IntN(len(g.units))]
	t := &phoihop.Tip{SourceUnitID: u.ID, ReceivedOn: g.between(scaleLater(g.start, u.ValidFrom), g.today),
		CrimeType: g.weighted(phoihop.CrimeTypes, []int{60, 20, 10, 5, 5}),
		Status:    g.weighted(phoihop.TipStatuses, []int{15, 15, 40, 30})}
	t.Subject = "Tin báo về " + scaleTitles[t.CrimeType][g.rng.IntN(len(scaleTitles[t.CrimeType]))]
	if t.Status == phoihop.TipValuable || t.Status == phoihop.TipNotValuable {
		t.VerifiedOn = g.between(t.ReceivedOn, scaleEarlier(t.ReceivedOn.AddDays(60), g.today))
	}
	if t.Status == phoihop.TipValuable && g.rng.IntN(5) < 2 {
		t.CaseID = &cases[g.rng.IntN(len(cases))].id
	}
	if len(exchanges) > 0 && g.rng.IntN(10) < 3 {
		if e := exchanges[g.rng.IntN(len(exchanges))]; !e.HeldOn.After(t.ReceivedOn) {
			t.ExchangeID = &e.ID
		}
	}
	return t
}

var (
	scaleTitles = map[string][]string{
		"drugs":       {"đường dây mua bán ma túy qua biên giới", "nhóm tàng trữ trái phép chất ma túy", "đường dây vận chuyển ma túy tổng hợp"},
		"smuggling":   {"đường dây buôn lậu hàng hóa qua biên giới", "nhóm vận chuyển hàng cấm"},
		"weapons":     {"nhóm tàng trữ vũ khí quân dụng", "đường dây mua bán súng tự chế"},
		"trafficking": {"đường dây mua bán người qua biên giới"},
		"other":       {"nhóm tổ chức đánh bạc", "nhóm vận chuyển trái phép tiền tệ"},
	}
	scaleCountries = []string{"KH", "LA", "CN", "TH"}
	scalePlaces    = []string{"huyện Lộc Ninh", "huyện Bù Đốp", "huyện Bù Gia Mập", "thị xã Bình Long",
		"huyện Hớn Quản", "thành phố Đồng Xoài", "cửa khẩu Hoa Lư", "cửa khẩu Hoàng Diệu"}
	scaleFamily = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"}
	scaleMiddle = []string{"Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc"}
	scaleGiven  = []string{"An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Lan", "Linh", "Nam", "Phúc", "Sơn", "Tâm", "Tuấn", "Vinh"}
)
