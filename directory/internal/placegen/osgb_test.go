package main

import (
	"math"
	"testing"
)

// The worked example of the Ordnance Survey's "A guide to coordinate
// systems in Great Britain" (annex C): E 651409.903, N 313177.270 is
// 52°39'27.2531"N 1°43'4.5177"E on OSGB36.
func TestGridToLatLonMatchesTheOSWorkedExample(t *testing.T) {
	phi, lam := gridToLatLon(651409.903, 313177.270)
	wantLat := 52 + 39.0/60 + 27.2531/3600
	wantLon := 1 + 43.0/60 + 4.5177/3600
	if got := phi * 180 / math.Pi; math.Abs(got-wantLat) > 1e-6 {
		t.Errorf("lat = %.8f; want %.8f", got, wantLat)
	}
	if got := lam * 180 / math.Pi; math.Abs(got-wantLon) > 1e-6 {
		t.Errorf("lon = %.8f; want %.8f", got, wantLon)
	}
}

// OSGB36 and WGS84 differ by some 100 m in the West Country: the Helmert
// step must move a point by about that, no more.
func TestHelmertShiftIsAboutAHundredMetres(t *testing.T) {
	e, n := 375100.0, 164800.0 // Bath
	phi, lam := gridToLatLon(e, n)
	lat, lon := osgbToWGS84(e, n)
	d := haversine(phi*180/math.Pi, lam*180/math.Pi, lat, lon) * 1000
	if d < 50 || d > 150 {
		t.Errorf("shift = %.0f m; want about 100", d)
	}
}

func TestOutwardOf(t *testing.T) {
	for in, want := range map[string]string{"BA1 0AQ": "BA1", "BS311AA": "BS31", "BA2 3AB": "BA2", "W1A 1AA": "W1A"} {
		if got := outwardOf(in); got != want {
			t.Errorf("outwardOf(%q) = %q; want %q", in, got, want)
		}
	}
}
