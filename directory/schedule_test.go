package directory

import (
	"slices"
	"testing"
	"time"
)

func london(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, London())
}

func date(y int, m time.Month, d int) time.Time { return london(y, m, d, 0, 0) }

func TestNext(t *testing.T) {
	// Tuesday 10 March 2026, 11:00 in Bath. The clocks go forward on
	// Sunday 29 March 2026 and back on Sunday 25 October 2026.
	now := london(2026, 3, 10, 11, 0)
	tests := []struct {
		name  string
		s     Schedule
		now   time.Time
		want  string // Session.String(), or "" for none
		start time.Time
	}{
		{name: "weekly thursday", s: Schedule{Freq: "WEEKLY", ByDay: "TH", OpensAt: "12:00", ClosesAt: "14:00"},
			want: "Thursday 12 March, 12:00 to 14:00"},
		{name: "v1 lower-case freq", s: Schedule{Freq: "week", ByDay: "TH", OpensAt: "12:00"},
			want: "Thursday 12 March, 12:00"},
		{name: "today, under way", s: Schedule{Freq: "WEEKLY", ByDay: "TU", OpensAt: "10:00", ClosesAt: "12:00"},
			want: "Tuesday 10 March, 10:00 to 12:00"},
		{name: "today, already closed", s: Schedule{Freq: "WEEKLY", ByDay: "TU", OpensAt: "09:00", ClosesAt: "10:30"},
			want: "Tuesday 17 March, 09:00 to 10:30"},
		{name: "several days", s: Schedule{Freq: "WEEKLY", ByDay: "MO,FR", OpensAt: "10:00:00", ClosesAt: "18:00:00"},
			want: "Friday 13 March, 10:00 to 18:00"},
		{name: "first monday", s: Schedule{Freq: "MONTHLY", ByDay: "1MO", OpensAt: "19:00", ClosesAt: "21:00"},
			want: "Monday 6 April, 19:00 to 21:00"},
		{name: "last friday", s: Schedule{Freq: "MONTHLY", ByDay: "-1FR", OpensAt: "14:00"},
			want: "Friday 27 March, 14:00"},
		{name: "second wednesday", s: Schedule{Freq: "MONTHLY", ByDay: "+2WE", OpensAt: "10:00"},
			want: "Wednesday 11 March, 10:00"},
		{name: "month day", s: Schedule{Freq: "MONTHLY", ByMonthDay: "15", OpensAt: "10:00"},
			want: "Sunday 15 March, 10:00"},
		{name: "last day of month", s: Schedule{Freq: "MONTHLY", ByMonthDay: "-1", OpensAt: "10:00"},
			want: "Tuesday 31 March, 10:00"},
		{name: "fortnightly from a start", s: Schedule{Freq: "WEEKLY", Interval: 2, ByDay: "TH", OpensAt: "10:00",
			DTStart: date(2026, 3, 5)}, want: "Thursday 19 March, 10:00"},
		{name: "fortnightly, on week", s: Schedule{Freq: "WEEKLY", Interval: 2, ByDay: "TH", OpensAt: "10:00",
			DTStart: date(2026, 2, 26)}, want: "Thursday 12 March, 10:00"},
		{name: "every other month", s: Schedule{Freq: "MONTHLY", Interval: 2, ByDay: "1SA", OpensAt: "10:00",
			DTStart: date(2026, 2, 7)}, want: "Saturday 4 April, 10:00"},
		{name: "not yet valid", s: Schedule{Freq: "WEEKLY", ByDay: "TH", OpensAt: "12:00", ValidFrom: date(2026, 4, 1)},
			want: "Thursday 2 April, 12:00"},
		{name: "valid to is inclusive", s: Schedule{Freq: "WEEKLY", ByDay: "TH", OpensAt: "12:00", ValidTo: date(2026, 3, 12)},
			want: "Thursday 12 March, 12:00"},
		{name: "ended", s: Schedule{Freq: "WEEKLY", ByDay: "TH", OpensAt: "12:00", ValidTo: date(2026, 3, 11)}},
		{name: "across the clock change", s: Schedule{Freq: "WEEKLY", ByDay: "SU", OpensAt: "10:00", ClosesAt: "12:00"},
			now: london(2026, 3, 23, 9, 0), want: "Sunday 29 March, 10:00 to 12:00", start: time.Date(2026, 3, 29, 9, 0, 0, 0, time.UTC)},
		{name: "winter again", s: Schedule{Freq: "WEEKLY", ByDay: "SU", OpensAt: "10:00"},
			now: london(2026, 10, 20, 9, 0), want: "Sunday 25 October, 10:00", start: time.Date(2026, 10, 25, 10, 0, 0, 0, time.UTC)},
		{name: "day but no times", s: Schedule{Freq: "WEEKLY", ByDay: "WE"}, want: "Wednesday 11 March"},
		{name: "no times today still counts", s: Schedule{Freq: "WEEKLY", ByDay: "TU"}, want: "Tuesday 10 March"},
		{name: "v1 weekday form", s: Schedule{ByDay: "TH", OpensAt: "2000-01-01T08:00:00.000Z"},
			want: "Thursday 12 March, 08:00"},
		{name: "past midnight", s: Schedule{Freq: "WEEKLY", ByDay: "FR", OpensAt: "22:00", ClosesAt: "02:00"},
			want: "Friday 13 March, 22:00 to 02:00"},
		{name: "description only", s: Schedule{Description: "Times arranged with each person"}},
		{name: "fortnightly without a start", s: Schedule{Freq: "WEEKLY", Interval: 2, ByDay: "TH"}},
		{name: "bad day", s: Schedule{Freq: "WEEKLY", ByDay: "XX"}},
		{name: "bad time", s: Schedule{Freq: "WEEKLY", ByDay: "TH", OpensAt: "25:00"}},
		{name: "unknown freq", s: Schedule{Freq: "YEARLY", ByDay: "TH"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := now
			if !tt.now.IsZero() {
				n = tt.now
			}
			got, ok := Next(tt.s, n)
			if tt.want == "" {
				if ok {
					t.Fatalf("Next = %s; want none", got)
				}
				return
			}
			if !ok || got.String() != tt.want {
				t.Fatalf("Next = %q, %v; want %q", got, ok, tt.want)
			}
			if !tt.start.IsZero() && !got.Start.Equal(tt.start) {
				t.Errorf("Start = %v; want %v", got.Start.UTC(), tt.start)
			}
		})
	}
}

func TestNextOnADay(t *testing.T) {
	s := Schedule{Freq: "WEEKLY", ByDay: "MO,TH", OpensAt: "12:00"}
	now := london(2026, 3, 10, 11, 0)
	if got, ok := NextOn(s, now, Monday); !ok || got.String() != "Monday 16 March, 12:00" {
		t.Errorf("NextOn(Monday) = %q, %v", got, ok)
	}
	if got, ok := NextOn(s, now, Saturday); ok {
		t.Errorf("NextOn(Saturday) = %q; want none", got)
	}
	svc := Service{Schedules: []Schedule{s, {Freq: "WEEKLY", ByDay: "WE", OpensAt: "09:00"}}}
	if got, ok := svc.NextSession(now, AnyDay); !ok || got.String() != "Wednesday 11 March, 09:00" {
		t.Errorf("NextSession = %q, %v", got, ok)
	}
}

func TestParseDay(t *testing.T) {
	tests := []struct {
		in   string
		want Day
	}{
		{"is there a lunch club near BA2 on a Thursday?", Thursday},
		{"youth club thursdays", Thursday},
		{"anything on Tues", Tuesday},
		{"we sat down on the sun lounger", AnyDay},
		{"SUNDAY lunch", Sunday},
		{"lunch club", AnyDay},
	}
	for _, tt := range tests {
		if got := ParseDay(tt.in); got != tt.want {
			t.Errorf("ParseDay(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
	if Sunday.Weekday() != time.Sunday || DayOf(time.Monday) != Monday || AnyDay.Weekday() != -1 {
		t.Error("Day and time.Weekday disagree")
	}
}

func TestScheduleSummary(t *testing.T) {
	tests := []struct {
		s    Schedule
		want string
	}{
		{Schedule{Freq: "WEEKLY", ByDay: "TH", OpensAt: "10:00", ClosesAt: "12:00"}, "Thursdays, 10:00 to 12:00"},
		{Schedule{Freq: "WEEKLY", Interval: 2, ByDay: "TH"}, "Thursdays, every 2 weeks"},
		{Schedule{Freq: "MONTHLY", ByDay: "-1FR", OpensAt: "14:00"}, "last Friday of the month, 14:00"},
		{Schedule{Freq: "MONTHLY", ByDay: "1MO"}, "1st Monday of the month"},
		{Schedule{Description: "Ring for times"}, "Ring for times"},
	}
	for _, tt := range tests {
		if got := tt.s.Summary(); got != tt.want {
			t.Errorf("Summary(%+v) = %q; want %q", tt.s, got, tt.want)
		}
	}
}

// What a rule leaves to its start date is filled in from it, as RFC 5545
// does; without one, such a rule says "times not published" rather than
// guess a day, and an every-other-week rule is an error a feed's team is
// told of.
func TestSettleFillsInFromTheStartDate(t *testing.T) {
	thu := time.Date(2026, 3, 5, 0, 0, 0, 0, London()) // a Thursday, the 5th
	tests := []struct {
		name      string
		s         Schedule
		freq      byte
		mask      uint8
		monthDays []int
		err       error
	}{
		{"weekly on its start's weekday", Schedule{Freq: "WEEKLY", DTStart: thu}, 'W', Thursday.bit(), nil, nil},
		{"weekly on no day", Schedule{Freq: "WEEKLY"}, 0, 0, nil, nil},
		{"monthly on its start's date", Schedule{Freq: "MONTHLY", DTStart: thu}, 'M', 0x7f, []int{5}, nil},
		{"monthly on no date", Schedule{Freq: "MONTHLY"}, 0, 0, nil, nil},
		{"monthly on the first Monday", Schedule{Freq: "MONTHLY", ByDay: "1MO"}, 'M', Monday.bit(), nil, nil},
		{"daily", Schedule{Freq: "DAILY"}, 'D', 0x7f, nil, nil},
		{"daily on weekdays", Schedule{Freq: "DAILY", ByDay: "MO,TU"}, 'D', Monday.bit() | Tuesday.bit(), nil, nil},
		{"every other week with no start", Schedule{Freq: "WEEKLY", ByDay: "TH", Interval: 2}, 0, 0, nil, errNeedStart},
		{"every other week from a start", Schedule{Freq: "WEEKLY", ByDay: "TH", Interval: 2, DTStart: thu}, 'W', Thursday.bit(), nil, nil},
		{"nothing to go by", Schedule{Description: "ring for times"}, 0, 0, nil, nil},
	}
	for _, tt := range tests {
		r, err := parseRule(tt.s)
		if err != tt.err || r.freq != tt.freq || r.mask != tt.mask || !slices.Equal(r.monthDays, tt.monthDays) {
			t.Errorf("%s: freq %q, mask %07b, month days %v, err %v; want %q, %07b, %v, %v", tt.name,
				r.freq, r.mask, r.monthDays, err, tt.freq, tt.mask, tt.monthDays, tt.err)
		}
	}
}
