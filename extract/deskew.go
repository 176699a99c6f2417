package extract

import (
	"image"
	"math"
)

// maxSkew is the largest tilt, in degrees, that deskewing looks for: a
// page photographed or scanned by hand is rarely turned further, and
// Tesseract copes with a page turned by a quarter or a half itself.
const maxSkew = 6.0

// skew estimates the angle, in degrees, of a page's lines of text:
// positive when they fall to the right (image y grows downward). It
// projects the dark pixels of a reduced copy of the page onto the
// vertical axis at each candidate angle and keeps the angle whose
// profile is sharpest (lines of text as peaks, the gaps between them as
// troughs).
func skew(g *image.Gray) float64 {
	pts := darkPoints(g, 1200, 150_000)
	if len(pts) < 100 {
		return 0
	}
	best, bestScore := 0.0, sharpness(pts, 0)
	search := func(from, to, step float64) {
		for a := from; a <= to+1e-9; a += step {
			if s := sharpness(pts, a); s > bestScore {
				best, bestScore = a, s
			}
		}
	}
	search(-maxSkew, maxSkew, 0.25)
	search(best-0.25, best+0.25, 0.05)
	return best
}

type point struct{ x, y float64 }

// darkPoints returns the dark pixels of g, scaled so that the longer side
// is at most size, and at most max of them (evenly sampled).
func darkPoints(g *image.Gray, size, max int) []point {
	b := g.Bounds()
	w, h := b.Dx(), b.Dy()
	step := 1
	for (w/step > size || h/step > size) && step < 64 {
		step++
	}
	thr := otsu(g)
	var pts []point
	for y := 0; y+step <= h; y += step {
		for x := 0; x+step <= w; x += step {
			// the darkest of the block, so thin strokes survive
			dark := false
			for dy := 0; dy < step && !dark; dy++ {
				row := g.Pix[(y+dy)*g.Stride+x : (y+dy)*g.Stride+x+step]
				for _, v := range row {
					if v < thr {
						dark = true
						break
					}
				}
			}
			if dark {
				pts = append(pts, point{float64(x / step), float64(y / step)})
			}
		}
	}
	if len(pts) > max {
		k := (len(pts) + max - 1) / max
		kept := pts[:0]
		for i := 0; i < len(pts); i += k {
			kept = append(kept, pts[i])
		}
		pts = kept
	}
	return pts
}

// sharpness scores the projection of pts at angle a (degrees): the sum of
// squared differences between neighbouring rows of the profile.
func sharpness(pts []point, a float64) float64 {
	s, c := math.Sincos(a * math.Pi / 180)
	lo, hi := math.Inf(1), math.Inf(-1)
	keys := make([]float64, len(pts))
	for i, p := range pts {
		k := p.y*c - p.x*s
		keys[i] = k
		lo, hi = math.Min(lo, k), math.Max(hi, k)
	}
	prof := make([]float64, int(hi-lo)+2)
	for _, k := range keys {
		prof[int(k-lo)]++
	}
	var sum float64
	for i := 1; i < len(prof); i++ {
		d := prof[i] - prof[i-1]
		sum += d * d
	}
	return sum
}

// otsu returns the threshold that best separates g's dark and light
// pixels (Otsu's method).
func otsu(g *image.Gray) uint8 {
	var hist [256]float64
	b := g.Bounds()
	for y := 0; y < b.Dy(); y += 2 {
		for _, v := range g.Pix[y*g.Stride : y*g.Stride+b.Dx()] {
			hist[v]++
		}
	}
	var total, sum float64
	for i, n := range hist {
		total += n
		sum += float64(i) * n
	}
	var wB, sumB, best float64
	thr := uint8(128)
	for i := 0; i < 256; i++ {
		wB += hist[i]
		if wB == 0 {
			continue
		}
		wF := total - wB
		if wF == 0 {
			break
		}
		sumB += float64(i) * hist[i]
		mB, mF := sumB/wB, (sum-sumB)/wF
		if v := wB * wF * (mB - mF) * (mB - mF); v > best {
			best, thr = v, uint8(i+1)
		}
	}
	return thr
}

// rotate returns g turned about its centre so that lines falling at angle
// a (degrees, as skew measures it) become level: each output pixel shows
// g at the point turned by a, interpolated; outside g is white. The
// output is scaled by scale (1 keeps the size).
func rotate(g *image.Gray, a, scale float64) *image.Gray {
	b := g.Bounds()
	w, h := b.Dx(), b.Dy()
	ow, oh := int(float64(w)*scale+0.5), int(float64(h)*scale+0.5)
	out := image.NewGray(image.Rect(0, 0, ow, oh))
	s, c := math.Sincos(a * math.Pi / 180)
	cx, cy := float64(w)/2, float64(h)/2
	ocx, ocy := float64(ow)/2, float64(oh)/2
	for Y := 0; Y < oh; Y++ {
		dy := (float64(Y) + 0.5 - ocy) / scale
		for X := 0; X < ow; X++ {
			dx := (float64(X) + 0.5 - ocx) / scale
			x := cx + dx*c - dy*s - 0.5
			y := cy + dx*s + dy*c - 0.5
			out.Pix[Y*out.Stride+X] = bilinear(g, x, y)
		}
	}
	return out
}

// bilinear samples g at (x, y), white outside it.
func bilinear(g *image.Gray, x, y float64) uint8 {
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	ix, iy := int(x0), int(y0)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	at := func(x, y int) float64 {
		if x < 0 || y < 0 || x >= w || y >= h {
			return 255
		}
		return float64(g.Pix[y*g.Stride+x])
	}
	v := at(ix, iy)*(1-fx)*(1-fy) + at(ix+1, iy)*fx*(1-fy) + at(ix, iy+1)*(1-fx)*fy + at(ix+1, iy+1)*fx*fy
	return uint8(v + 0.5)
}
