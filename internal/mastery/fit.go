package mastery

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"

	"gradjudge"
)

// Fitting needs enough of a course's own data: a concept with fewer students with two or more
// answers (learning shows only in sequences), or fewer answers, in its training part keeps the
// defaults.
const (
	MinFitStudents     = 10
	MinFitObservations = 50
)

// The search's bounds: a fit may not call a concept known by nearly everyone from the start,
// nor put Guess or Slip above MaxFitGuessSlip, the usual bounds of BKT fits against degenerate
// models (a "guess" of one half explains any answer).
const (
	MaxFitPrior     = 0.95
	MaxFitGuessSlip = 0.3
)

// HeldOutPercent is the share of students whose data is held out of fitting, to measure the fit.
const HeldOutPercent = 20

// HeldOut says whether user's data is held out: a hash of the id, so the split is the same on
// every run.
func HeldOut(userID int64) bool {
	h := fnv.New32a()
	h.Write([]byte(strconv.FormatInt(userID, 10)))
	return h.Sum32()%100 < HeldOutPercent
}

// Quality is how well parameters predict observations: the mean log-likelihood per observation
// (0 is perfect; always guessing 50 % gives −0.69) and the AUC of the predicted chance of a right
// answer against answers that were right (0.5 is chance, 1 perfect). N is the observations.
type Quality struct {
	N      int
	LogLik float64
	AUC    float64
}

// ConceptFit is the fit of one concept.
type ConceptFit struct {
	Concept              string
	Students, Train      int // students and observations in the training part
	Fitted               bool
	Reason               string // why not fitted
	Params               gradjudge.MasteryParams
	TrainQuality         Quality // Params on the training part
	HeldOut, DefaultHeld Quality // Params, and the defaults, on the held-out part
}

// Fit fits BKT parameters per concept to sequences by maximum likelihood (a grid search, then a
// coordinate search around the best point), on the students HeldOut leaves in, and measures them
// on the others.
func Fit(seqs []Sequence) []ConceptFit {
	byConcept := map[string][2][]Sequence{} // training, held out
	var order []string
	for _, s := range seqs {
		parts, ok := byConcept[s.Concept]
		if !ok {
			order = append(order, s.Concept)
		}
		i := 0
		if HeldOut(s.UserID) {
			i = 1
		}
		parts[i] = append(parts[i], s)
		byConcept[s.Concept] = parts
	}
	out := make([]ConceptFit, len(order))
	for i, c := range order {
		out[i] = fitConcept(c, byConcept[c][0], byConcept[c][1])
	}
	return out
}

func fitConcept(concept string, train, held []Sequence) ConceptFit {
	f := ConceptFit{Concept: concept, Students: len(train), Params: Defaults(concept)}
	sequences := 0
	for _, s := range train {
		f.Train += len(s.Obs)
		if len(s.Obs) >= 2 {
			sequences++
		}
	}
	switch {
	case sequences < MinFitStudents:
		f.Reason = "too few students with two or more answers (" + strconv.Itoa(sequences) + ", need " + strconv.Itoa(MinFitStudents) + ")"
	case f.Train < MinFitObservations:
		f.Reason = "too few observations (" + strconv.Itoa(f.Train) + ", need " + strconv.Itoa(MinFitObservations) + ")"
	default:
		f.Params, f.Fitted = search(concept, train), true
	}
	f.TrainQuality = Measure(f.Params, train)
	f.HeldOut, f.DefaultHeld = Measure(f.Params, held), Measure(Defaults(concept), held)
	if f.Fitted && f.HeldOut.LogLik < f.DefaultHeld.LogLik {
		f.Reason = fmt.Sprintf("the fit (%s) predicts the held-out students worse", String(f.Params))
		f.Params, f.Fitted, f.HeldOut = Defaults(concept), false, f.DefaultHeld
		f.TrainQuality = Measure(f.Params, train)
	}
	return f
}

// grid is the coarse grid of the search, per parameter: prior, learn, guess, slip.
var grid = [4][]float64{
	{0.1, 0.3, 0.5, 0.7, 0.9},
	{0.02, 0.1, 0.2, 0.35, 0.5},
	{0.02, 0.1, 0.2, 0.28},
	{0.02, 0.1, 0.2, 0.28},
}

func search(concept string, seqs []Sequence) gradjudge.MasteryParams {
	best, bestLL := [4]float64{}, math.Inf(-1)
	var x [4]float64
	for _, x[0] = range grid[0] {
		for _, x[1] = range grid[1] {
			for _, x[2] = range grid[2] {
				for _, x[3] = range grid[3] {
					if ll := logLik(params(concept, x), seqs); ll > bestLL {
						best, bestLL = x, ll
					}
				}
			}
		}
	}
	limits := [4]float64{MaxFitPrior, 1, MaxFitGuessSlip, MaxFitGuessSlip}
	for step := 0.08; step > 0.002; step /= 2 {
		for improved := true; improved; {
			improved = false
			for k := range best {
				for _, d := range []float64{-step, step} {
					y := best
					y[k] = math.Min(math.Max(y[k]+d, 0.001), limits[k]-0.001)
					if ll := logLik(params(concept, y), seqs); ll > bestLL+1e-12 {
						best, bestLL, improved = y, ll, true
					}
				}
			}
		}
	}
	return params(concept, best)
}

func params(concept string, x [4]float64) gradjudge.MasteryParams {
	return gradjudge.MasteryParams{Concept: concept, Prior: x[0], Learn: x[1], Guess: x[2], Slip: x[3]}
}

// logLik is the total log-likelihood of seqs under p, each sequence traced from the prior.
func logLik(p gradjudge.MasteryParams, seqs []Sequence) float64 {
	ll := 0.0
	for _, s := range seqs {
		pL := p.Prior
		for _, o := range s.Obs {
			ll += math.Log(math.Max(likelihood(o.Credit, PCorrect(pL, p, o.Chance)), 1e-12))
			pL = Update(pL, o.Credit, p, o.Chance)
		}
	}
	return ll
}

// Measure returns the quality of p's predictions of seqs: before each observation, the chance
// of a right answer from the observations before it.
func Measure(p gradjudge.MasteryParams, seqs []Sequence) Quality {
	var q Quality
	var pos, neg []float64
	for _, s := range seqs {
		pL := p.Prior
		for _, o := range s.Obs {
			pc := PCorrect(pL, p, o.Chance)
			q.LogLik += math.Log(math.Max(likelihood(o.Credit, pc), 1e-12))
			if o.Credit >= 0.5 {
				pos = append(pos, pc)
			} else {
				neg = append(neg, pc)
			}
			pL = Update(pL, o.Credit, p, o.Chance)
		}
	}
	q.N = len(pos) + len(neg)
	if q.N > 0 {
		q.LogLik /= float64(q.N)
	}
	q.AUC = auc(pos, neg)
	return q
}

// auc is the probability that a random positive scores above a random negative, ties counting
// half: the Mann–Whitney statistic. 0.5 when either side is empty.
func auc(pos, neg []float64) float64 {
	if len(pos) == 0 || len(neg) == 0 {
		return 0.5
	}
	type item struct {
		score float64
		pos   bool
	}
	all := make([]item, 0, len(pos)+len(neg))
	for _, s := range pos {
		all = append(all, item{s, true})
	}
	for _, s := range neg {
		all = append(all, item{s, false})
	}
	slices.SortFunc(all, func(a, b item) int { return cmp.Compare(a.score, b.score) })
	rankSum := 0.0
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].score == all[i].score {
			j++
		}
		mid := float64(i+j+1) / 2 // the mean of ranks i+1 … j
		for k := i; k < j; k++ {
			if all[k].pos {
				rankSum += mid
			}
		}
		i = j
	}
	np, nn := float64(len(pos)), float64(len(neg))
	return (rankSum - np*(np+1)/2) / (np * nn)
}
