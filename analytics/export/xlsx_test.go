package export

import "testing"

func TestSheetNames(t *testing.T) {
	x := &xlsxWriter{names: map[string]bool{"about": true}}
	for _, tc := range []struct{ in, want string }{
		{"Acme", "Acme"},
		{"acme", "acme 2"}, // Excel ignores case
		{"About", "About 2"},
		{"a/b:c?d*e[f]g\\h", "a_b_c_d_e_f_g_h"},
		{"'quoted'", "quoted"},
		{"", "Data"},
		{"An organisation with a very long name indeed", "An organisation with a very lon"},
		{"An organisation with a very long name too", "An organisation with a very l 2"},
	} {
		if got := x.unique(tc.in); got != tc.want {
			t.Errorf("unique(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
