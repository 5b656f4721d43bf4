package reports

// BaseCSS returns the style rules report.html and compare.html share, for
// other self-contained pages (sweep.html) to embed.
func BaseCSS() string { return baseCSS }
