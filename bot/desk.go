package bot

// MaxQuestion is how many characters of a question a screen that takes
// long text (the desk) passes on; it cuts the rest and says so (Cut).
const MaxQuestion = 2000

// Cut tells someone their question was too long to read whole.
const Cut = "Your question was cut to its first 2,000 characters."

// Desk holds the words of the staff desk's page around the replies: its
// labels, headings and links. They are written here, with every other
// sentence a user reads, so the web adapter only lays the page out.
var Desk = struct {
	Name, Tagline, Skip                        string
	Search, SearchHint, Ask, Place, Anywhere   string
	Suggestions, NoSuggestions                 string
	Copy, Copied, CopyHint, Print              string
	Menu, Core, Routes, Finder, Home           string
	FinderLead, Who, What, Band, Where, Any    string
	FindButton, ErrorTitle, NotFound, Problems string
	OtherPlaces, Nav, Results                  string
	Stats, StatsLead, Questions, AnsweredRate  string
	DeclinedRate, Unanswered, Votes, Helpful   string
	ByWeek, ByWeekHint, Entries, Asked         string
	Review, Closest, Week, Entry               string
	SuggestPick                                string
}{
	Name:          "signpost: Connecting Communities desk",
	Tagline:       "Signpost a caller to the B&NES Connecting Communities toolkit: tools, funding routes and who to contact.",
	Skip:          "Skip to main content",
	Search:        "What does the caller need?",
	SearchHint:    "In the caller's words or yours, for example \"list our pub\" or \"PACT\". Names and acronyms suggest entries as you type.",
	Ask:           "Search",
	Place:         "Caller is in",
	Anywhere:      "Not known (ask when it matters)",
	Suggestions:   "Suggestions",
	NoSuggestions: "No entry matches that name: press Enter to search.",
	Copy:          "Copy for the caller",
	Copied:        "Copied: paste it into an e-mail or text message.",
	CopyHint:      "To read out, or paste into an e-mail or text message.",
	Print:         "Print this entry",
	Menu:          "The menu by theme",
	Core:          "The Core Offer",
	Routes:        "Funding routes",
	Finder:        "Funding finder",
	Home:          "Search",
	FinderLead:    "Which funding routes fit the caller's group? Leave anything you do not know.",
	Who:           "Who is applying?",
	What:          "What is it for?",
	Band:          "Roughly how much?",
	Where:         "Where is it?",
	Any:           "Not known",
	FindButton:    "Find funding routes",
	ErrorTitle:    "There is a problem",
	NotFound:      "There is no entry with that name. Search for it instead.",
	Problems:      "Choose from the list given.",
	OtherPlaces:   "Other places (area not known)",
	Stats:         "What people asked",
	StatsLead:     "Figures for the last 30 days, from what signpost keeps (see the privacy notice in the README). Questions are shown only as kept: scrubbed, and only those signpost could not answer or that were voted unhelpful.",
	Questions:     "Questions",
	AnsweredRate:  "Answered",
	DeclinedRate:  "Declined (not sure, not covered, or a council service sent to Council Connect)",
	Unanswered:    "Not sure",
	Votes:         "Votes",
	Helpful:       "Voted helpful",
	ByWeek:        "Questions and answered rate by week",
	ByWeekHint:    "Bars are questions a week; the line is the share answered (top of the chart is 100%).",
	Entries:       "Entries asked about most",
	Asked:         "Asked",
	Review:        "What signpost could not answer well",
	Closest:       "signpost came nearest to (a guess, not a pick)",
	Week:          "Week",
	Entry:         "Entry",
	SuggestPick:   "A reviewer decides which entry these questions are examples of, or that they are outside the toolkit: signpost review writes them to a suggestions file.",
	Nav:           "Lists",
	Results:       "Answer",
}
