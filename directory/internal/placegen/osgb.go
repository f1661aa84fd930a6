package main

import "math"

// osgbToWGS84 converts an Ordnance Survey National Grid position (OSGB36
// eastings and northings, metres) to WGS84 latitude and longitude in degrees.
// It follows the Ordnance Survey's "A guide to coordinate systems in Great
// Britain": the inverse transverse Mercator projection on the Airy 1830
// ellipsoid, then a seven-parameter Helmert transformation to WGS84, good to
// a few metres.
func osgbToWGS84(e, n float64) (lat, lon float64) {
	phi, lam := gridToLatLon(e, n)
	x, y, z := toCartesian(phi, lam, airyA, airyB)
	x, y, z = helmert(x, y, z)
	phi, lam = fromCartesian(x, y, z, grs80A, grs80B)
	return phi * 180 / math.Pi, lam * 180 / math.Pi
}

const (
	airyA  = 6377563.396
	airyB  = 6356256.909
	grs80A = 6378137.000
	grs80B = 6356752.3141
	f0     = 0.9996012717
	e0     = 400000.0
	n0     = -100000.0
)

var (
	phi0 = 49 * math.Pi / 180
	lam0 = -2 * math.Pi / 180
)

func gridToLatLon(e, n float64) (float64, float64) {
	a, b := airyA, airyB
	e2 := 1 - (b*b)/(a*a)
	nn := (a - b) / (a + b)
	phi := phi0
	m := 0.0
	for {
		phi = (n-n0-m)/(a*f0) + phi
		m = meridional(phi, a, b, nn)
		if math.Abs(n-n0-m) < 0.00001 {
			break
		}
	}
	sin, cos, tan := math.Sin(phi), math.Cos(phi), math.Tan(phi)
	nu := a * f0 / math.Sqrt(1-e2*sin*sin)
	rho := a * f0 * (1 - e2) / math.Pow(1-e2*sin*sin, 1.5)
	eta2 := nu/rho - 1
	sec := 1 / cos
	vii := tan / (2 * rho * nu)
	viii := tan / (24 * rho * math.Pow(nu, 3)) * (5 + 3*tan*tan + eta2 - 9*tan*tan*eta2)
	ix := tan / (720 * rho * math.Pow(nu, 5)) * (61 + 90*tan*tan + 45*math.Pow(tan, 4))
	x := sec / nu
	xi := sec / (6 * math.Pow(nu, 3)) * (nu/rho + 2*tan*tan)
	xii := sec / (120 * math.Pow(nu, 5)) * (5 + 28*tan*tan + 24*math.Pow(tan, 4))
	xiia := sec / (5040 * math.Pow(nu, 7)) * (61 + 662*tan*tan + 1320*math.Pow(tan, 4) + 720*math.Pow(tan, 6))
	de := e - e0
	lat := phi - vii*de*de + viii*math.Pow(de, 4) - ix*math.Pow(de, 6)
	lon := lam0 + x*de - xi*math.Pow(de, 3) + xii*math.Pow(de, 5) - xiia*math.Pow(de, 7)
	return lat, lon
}

func meridional(phi, a, b, n float64) float64 {
	d, s := phi-phi0, phi+phi0
	return b * f0 * ((1+n+5.0/4*n*n+5.0/4*n*n*n)*d -
		(3*n+3*n*n+21.0/8*n*n*n)*math.Sin(d)*math.Cos(s) +
		(15.0/8*n*n+15.0/8*n*n*n)*math.Sin(2*d)*math.Cos(2*s) -
		35.0/24*n*n*n*math.Sin(3*d)*math.Cos(3*s))
}

func toCartesian(phi, lam, a, b float64) (x, y, z float64) {
	e2 := 1 - (b*b)/(a*a)
	nu := a / math.Sqrt(1-e2*math.Sin(phi)*math.Sin(phi))
	return nu * math.Cos(phi) * math.Cos(lam), nu * math.Cos(phi) * math.Sin(lam), (1 - e2) * nu * math.Sin(phi)
}

// helmert applies the OSGB36 to WGS84 parameters (the inverse of the
// published WGS84 to OSGB36 set).
func helmert(x, y, z float64) (float64, float64, float64) {
	const (
		tx, ty, tz = 446.448, -125.157, 542.060
		s          = -20.4894e-6
	)
	sec := math.Pi / (180 * 3600)
	rx, ry, rz := 0.1502*sec, 0.2470*sec, 0.8421*sec
	return tx + (1+s)*x - rz*y + ry*z,
		ty + rz*x + (1+s)*y - rx*z,
		tz - ry*x + rx*y + (1+s)*z
}

func fromCartesian(x, y, z, a, b float64) (phi, lam float64) {
	e2 := 1 - (b*b)/(a*a)
	p := math.Hypot(x, y)
	phi = math.Atan2(z, p*(1-e2))
	for range 10 {
		nu := a / math.Sqrt(1-e2*math.Sin(phi)*math.Sin(phi))
		phi = math.Atan2(z+e2*nu*math.Sin(phi), p)
	}
	return phi, math.Atan2(y, x)
}
