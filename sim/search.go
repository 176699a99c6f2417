package sim

import (
	"fmt"
	"math"
	"runtime"
	"sync"
)

// seedStep spaces the seeds of a batch: trial t of a batch with seed s runs
// on seed s + t·seedStep (mod 2⁶⁴).
const seedStep = 0x9E3779B97F4A7C15

// A Batch is trials at one slot count, on seeds Seed + t·seedStep for t
// below Catch.N.
type Batch struct {
	Slots int
	Seed  uint64
	// Catch counts the trials in which a colluder was accused.
	Catch Proportion
	// Innocents counts the innocents accused among those simulated, over
	// every trial.
	Innocents Proportion
	// Observed sums the informative slots over the trials.
	Observed int
	// Inconsistent counts colluders called inconsistent.
	Inconsistent int
}

// MeanObserved is the mean number of informative slots per trial.
func (b Batch) MeanObserved() float64 {
	if b.Catch.N == 0 {
		return 0
	}
	return float64(b.Observed) / float64(b.Catch.N)
}

// RunBatch runs trials of cfg with m slots on workers goroutines (0: one
// per CPU). The outcome depends on the seeds only, not on the workers.
func RunBatch(cfg Config, m, trials int, seed uint64, workers int) (Batch, error) {
	if err := cfg.Check(); err != nil {
		return Batch{}, err
	}
	if trials < 1 {
		return Batch{}, fmt.Errorf("sim: %s: %d trials", cfg, trials)
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, trials)
	parts := make([]Batch, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			b := &parts[w]
			for t := w; t < trials; t += workers {
				o, err := trial(cfg, m, seed+uint64(t)*seedStep)
				if err != nil {
					errs[w] = err
					return
				}
				b.add(o)
			}
		})
	}
	wg.Wait()
	total := Batch{Slots: m, Seed: seed}
	for w := range parts {
		if errs[w] != nil {
			return Batch{}, errs[w]
		}
		total.Catch = total.Catch.Add(parts[w].Catch)
		total.Innocents = total.Innocents.Add(parts[w].Innocents)
		total.Observed += parts[w].Observed
		total.Inconsistent += parts[w].Inconsistent
	}
	return total, nil
}

func (b *Batch) add(o Outcome) {
	b.Catch.N++
	if o.Caught {
		b.Catch.K++
	}
	b.Innocents = b.Innocents.Add(Proportion{o.InnocentsHit, o.Innocents})
	b.Observed += o.Observed
	b.Inconsistent += o.ColludersInconsistent
}

// CatchRate runs trials with m slots and returns the fraction in which a
// colluder was accused, the total innocents accused, and the mean number
// of informative slots. It panics where RunBatch returns an error.
func CatchRate(cfg Config, m, trials int, seed uint64) (rate float64, innocents int, observed float64) {
	b, err := RunBatch(cfg, m, trials, seed, 0)
	if err != nil {
		panic(err)
	}
	return b.Catch.Rate(), b.Innocents.K, b.MeanObserved()
}

// Search says how SlotsFor searches and how it checks what it reports.
type Search struct {
	// Target is the catch rate claimed, such as 0.99.
	Target float64
	// Trials is the number of trials per point of the binary search, on
	// the same seeds at every point.
	Trials int
	// Fresh is the number of trials per batch at a candidate slot count,
	// on seeds used nowhere else; at least MinTrials(Target).
	Fresh int
	// MaxSlots bounds the slot counts tried.
	MaxSlots int
	// Seed selects the seeds of the search and of every fresh batch.
	Seed uint64
	// Workers run trials in parallel; 0 means one per CPU.
	Workers int
}

// FreshBatches bounds the fresh batches SlotsFor runs, each FreshStep more
// slots than the last, before it gives up.
const (
	FreshBatches = 8
	FreshStep    = 0.03
)

// A Point is what SlotsFor reports for a configuration.
type Point struct {
	// Reached is true if a slot count was shown to reach the target: the
	// lower end of the 95 % Wilson interval of the catch rate of a fresh
	// batch at Slots is at least the target.
	Reached bool
	Slots   int
	// Observed is the mean number of informative slots in that batch.
	Observed float64
	// Catch is that batch's catch rate: the figure reported.
	Catch Proportion
	// SearchSlots is where the binary search stopped, SearchSeed the
	// seed of its trials, and SearchAccused the innocents its trials
	// accused (not independent from point to point, so only counted).
	SearchSlots   int
	SearchSeed    uint64
	SearchAccused int
	// Fresh lists every fresh batch in the order run; the last is the
	// reported one if Reached.
	Fresh []Batch
}

// Innocents counts the innocents accused among those simulated in every
// fresh batch.
func (p Point) Innocents() Proportion {
	var sum Proportion
	for _, b := range p.Fresh {
		sum = sum.Add(b.Innocents)
	}
	return sum
}

func (s Search) check() error {
	switch {
	case !(s.Target > 0 && s.Target < 1):
		return fmt.Errorf("sim: target catch rate %g is not in (0, 1)", s.Target)
	case s.Trials < 1:
		return fmt.Errorf("sim: %d search trials", s.Trials)
	case s.Fresh < MinTrials(s.Target):
		return fmt.Errorf("sim: %d fresh trials cannot show a catch rate of %g at 95 %% confidence (hint: at least %d, and more to allow a few misses)",
			s.Fresh, s.Target, MinTrials(s.Target))
	case s.MaxSlots < 1:
		return fmt.Errorf("sim: at most %d slots", s.MaxSlots)
	}
	return nil
}

// SlotsFor finds a number of slots at which a colluder is accused in at
// least the target fraction of leaks, and shows it on fresh trials.
//
// The binary search (resolution about 3 %) finds the fewest slots at which
// Trials seeded trials, the same at every point, catch a colluder at a
// rate of at least (1+Target)/2: the search aims above the target because
// the fresh trials must show the target at 95 % confidence. Then batches
// of Fresh trials, each on new seeds, run at the search's slot count and
// FreshStep more at each step, until a batch's lower 95 % Wilson bound is
// at least Target; that slot count and that batch's catch rate are
// reported. Each batch is one-sided 97.5 % evidence, and batches that
// fall short are listed in the point.
func SlotsFor(cfg Config, s Search) (Point, error) {
	if err := cfg.Check(); err != nil {
		return Point{}, err
	}
	if err := s.check(); err != nil {
		return Point{}, err
	}
	p := Point{SearchSeed: splitmix(s.Seed)}
	aim := (1 + s.Target) / 2
	reaches := func(m int) (bool, error) {
		b, err := RunBatch(cfg, m, s.Trials, p.SearchSeed, s.Workers)
		p.SearchAccused += b.Innocents.K
		return b.Catch.Rate() >= aim, err
	}
	lo, hi := 0, min(8, s.MaxSlots)
	for {
		ok, err := reaches(hi)
		if err != nil {
			return p, err
		}
		if ok {
			break
		}
		if hi >= s.MaxSlots {
			return p, nil
		}
		lo, hi = hi, min(hi*2, s.MaxSlots)
	}
	for hi-lo > max(1, hi/32) {
		mid := (lo + hi) / 2
		ok, err := reaches(mid)
		if err != nil {
			return p, err
		}
		if ok {
			hi = mid
		} else {
			lo = mid
		}
	}
	p.SearchSlots = hi

	used := []Batch{{Seed: p.SearchSeed, Catch: Proportion{N: s.Trials}}}
	seed := p.SearchSeed
	for m := hi; m <= s.MaxSlots && len(p.Fresh) < FreshBatches; m = max(m+1, int(math.Ceil(float64(m)*(1+FreshStep)))) {
		seed = freshSeed(seed, s.Fresh, used)
		b, err := RunBatch(cfg, m, s.Fresh, seed, s.Workers)
		if err != nil {
			return p, err
		}
		p.Fresh = append(p.Fresh, b)
		used = append(used, b)
		if b.Catch.Lower() >= s.Target {
			p.Reached, p.Slots, p.Catch, p.Observed = true, m, b.Catch, b.MeanObserved()
			break
		}
	}
	return p, nil
}

// freshSeed returns a seed after prev whose batch of n trials shares no
// seed with the batches used.
func freshSeed(prev uint64, n int, used []Batch) uint64 {
	for seed := splitmix(prev); ; seed = splitmix(seed) {
		clash := false
		for _, b := range used {
			clash = clash || overlap(seed, n, b.Seed, b.Catch.N)
		}
		if !clash {
			return seed
		}
	}
}

// overlap reports whether the batches of na trials from seed a and nb
// trials from seed b share a seed: a + t·step = b + u·step for some t < na,
// u < nb, that is (b−a)/step = t−u mod 2⁶⁴, with step odd and so
// invertible.
func overlap(a uint64, na int, b uint64, nb int) bool {
	d := (b - a) * stepInverse
	return d < uint64(na) || -d < uint64(nb)
}

// stepInverse is the inverse of seedStep modulo 2⁶⁴.
const stepInverse = 0xF1DE83E19937733D

// splitmix is the SplitMix64 finaliser of x + γ: a different, well-mixed
// seed for each x.
func splitmix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ x>>30) * 0xBF58476D1CE4E5B9
	x = (x ^ x>>27) * 0x94D049BB133111EB
	return x ^ x>>31
}
