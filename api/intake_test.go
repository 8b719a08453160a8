package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/web/webtest"
)

// The intake reads an age or a birth date in the forms callers give them,
// and an IIN fills in what the caller did not say.
func TestIntakeBirth(t *testing.T) {
	env := webtest.New(t)
	cw := env.As(t, habeas.RoleCaseworker)
	iin, ok := habeas.MakeIIN(time.Date(1991, 3, 9, 0, 0, 0, 0, time.UTC), habeas.SexFemale, 42)
	iin2, ok2 := habeas.MakeIIN(time.Date(1991, 3, 9, 0, 0, 0, 0, time.UTC), habeas.SexFemale, 44)
	if !ok || !ok2 {
		t.Fatal("no IIN")
	}
	for _, tt := range []struct {
		birth, iin string
		want       habeas.BirthDate
		sex        habeas.Sex
	}{
		{"34", "", habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 34, AgeAt: "2022-01-05"}, ""},
		{"1990", "", habeas.BirthDate{Precision: habeas.PrecisionYear, Date: "1990"}, ""},
		{"1990-04", "", habeas.BirthDate{Precision: habeas.PrecisionMonth, Date: "1990-04"}, ""},
		{"4.1990", "", habeas.BirthDate{Precision: habeas.PrecisionMonth, Date: "1990-04"}, ""},
		{"1990-04-02", "", habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1990-04-02"}, ""},
		{"2.4.1990", "", habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1990-04-02"}, ""},
		{"", string(iin), habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1991-03-09"}, habeas.SexFemale},
		{"1991", string(iin2)[:6] + " " + string(iin2)[6:], habeas.BirthDate{Precision: habeas.PrecisionYear, Date: "1991"}, habeas.SexFemale}, // typed with a space
	} {
		var res casework.IntakeResult
		in := map[string]string{"name": "Aigul Test", "city": "almaty", "date": "2022-01-05", "time": "14:30", "birth": tt.birth, "iin": tt.iin}
		if code := cw.JSON(t, "POST", "/api/v1/intake", in, &res); code != http.StatusCreated {
			t.Errorf("birth %q iin %q: status %d", tt.birth, tt.iin, code)
			continue
		}
		p, err := env.Store.FindPersonByID(context.Background(), res.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Birth != tt.want || p.Sex != tt.sex {
			t.Errorf("birth %q iin %q: stored %+v %q, want %+v %q", tt.birth, tt.iin, p.Birth, p.Sex, tt.want, tt.sex)
		}
	}
	for _, bad := range []string{"121", "1899", "31.02.1990", "02.04", "about 30", "2023"} {
		var body webtest.ErrorBody
		in := map[string]string{"name": "Aigul Test", "city": "almaty", "date": "2022-01-05", "time": "14:30", "birth": bad}
		if code := cw.JSON(t, "POST", "/api/v1/intake", in, &body); code != http.StatusBadRequest || len(body.Error.Fields) != 1 || body.Error.Fields[0].Field != "birth" {
			t.Errorf("birth %q: status %d, %+v; want 400 naming birth", bad, code, body.Error.Fields)
		}
	}
}
