package demo

import (
	"accord/survey/roster"
)

// Pools the generator draws from. Every name is fictional; organisations are
// a prefix and a suffix, so 40×15 = 600 distinct names exist before numbers
// are appended.
var (
	orgPrefixes = []string{
		"Northwind", "Bluefin", "Copperleaf", "Halcyon", "Ironbridge", "Juniper", "Kestrel", "Lumen",
		"Meridian", "Nimbus", "Oakridge", "Pinecrest", "Quartz", "Redwood", "Silverline", "Tidewater",
		"Umbra", "Vantage", "Westbrook", "Yarrow", "Zephyr", "Alder", "Brightwater", "Cobalt",
		"Driftwood", "Evergreen", "Foxglove", "Granite", "Harbor", "Ivory", "Larkspur", "Maple",
		"Northstar", "Orchid", "Palisade", "Riverbend", "Sable", "Thistle", "Willow", "Aurora",
	}
	orgSuffixes = []string{
		"Analytics", "Systems", "Software", "Health", "Logistics", "Robotics", "Labs", "Cloud",
		"Payments", "Security", "Energy", "Networks", "Insights", "Learning", "Commerce",
	}

	firstNames = []string{
		"Aisha", "Alejandro", "Amara", "Anders", "Ana", "Arjun", "Beatriz", "Ben", "Camille", "Chen",
		"Chloe", "Dario", "David", "Elena", "Emeka", "Emma", "Fatima", "Finn", "Grace", "Hana",
		"Hiroshi", "Ingrid", "Isaac", "Jamal", "Julia", "Kai", "Karim", "Laura", "Leila", "Liam",
		"Lucas", "Maya", "Mei", "Mohammed", "Nadia", "Niamh", "Noah", "Olga", "Omar", "Priya",
		"Rafael", "Rosa", "Sam", "Sara", "Sofia", "Tariq", "Tom", "Valentina", "Wei", "Yusuf",
		"Zoe", "Zainab", "Mateo", "Ines", "Kofi", "Lena", "Marco", "Nora", "Oscar", "Ruth",
	}
	lastNames = []string{
		"Abara", "Andersson", "Bauer", "Becker", "Chen", "Costa", "Dubois", "Eriksen", "Fernández", "Fischer",
		"García", "Gupta", "Haddad", "Hansen", "Ito", "Jansen", "Kaur", "Kim", "Kowalski", "Larsen",
		"Li", "Lopez", "Martin", "Mensah", "Moreau", "Müller", "Nakamura", "Nguyen", "Novak", "O'Brien",
		"Okafor", "Olsen", "Patel", "Petrov", "Popescu", "Rahman", "Rossi", "Santos", "Schmidt", "Silva",
		"Singh", "Smith", "Suzuki", "Tanaka", "Taylor", "Tran", "Van Dijk", "Wang", "Weber", "Williams",
		"Wilson", "Yilmaz", "Zhang", "Murphy", "Ndlovu", "Ortiz", "Park", "Quinn", "Reyes", "Sato",
	}

	// teams lists the teams an organisation may have per function; each
	// organisation uses a subset, so team breakdowns differ between clients.
	teams = map[string][]string{
		roster.FunctionSales:       {"Enterprise Sales", "SMB Sales", "Sales Engineering", "Partnerships", "Mid-Market Sales"},
		roster.FunctionProduct:     {"Core Product", "Growth", "Platform Product", "Design", "Product Operations"},
		roster.FunctionEngineering: {"Platform", "Payments", "Mobile", "Data", "Infrastructure", "Integrations"},
		roster.FunctionMarketing:   {"Product Marketing", "Demand Generation", "Brand & Content"},
		roster.FunctionExecutive:   {"Leadership"},
		roster.FunctionOther:       {"Customer Success", "Operations", "Finance", "People"},
	}

	// functionWeights are the roster shares of each function, in survey.Functions order.
	functionWeights = []float64{0.28, 0.14, 0.30, 0.11, 0.05, 0.12}

	// showcaseWeights give the organisation `serve --demo` shows a product
	// team large enough that every index of both sides of the perception
	// gap clears the minimum group size in every round.
	showcaseWeights = []float64{0.27, 0.21, 0.25, 0.10, 0.05, 0.12}

	// zones the organisations' schedules send in.
	zones = []string{"Europe/Berlin", "Europe/London", "America/New_York", "Europe/Paris", "America/Chicago"}

	regions      = []string{"North America", "EMEA", "APAC", "LATAM"}
	tenureBands  = []string{"<1 year", "1-2 years", "3-5 years", "5+ years"}
	tenureWeight = []float64{0.22, 0.30, 0.30, 0.18}
)

// Comments are drawn by mood: critical when the respondent's alignment is
// low, appreciative when it is high. A few contain <, &, quotes and
// non-ASCII characters so that pages and exports are seen escaping them.
var (
	criticalComments = []string{
		"Stop promising \"custom builds\" to close deals & then asking product to deliver by Friday.",
		"Roadmap changes < 1 week before QBRs kill our credibility with customers.",
		"Product never tells us what slipped until a customer asks.",
		"We need one place where customer requests are logged and answered, not five Slack channels.",
		"Executives overrule the roadmap whenever a big logo complains. Decide once and stick to it.",
		"Sales escalates everything as P1. When everything is urgent nothing is.",
		"Product managers should join at least two customer calls a month.",
		"Feature requests disappear into a black hole. Even a \"no\" would help.",
		"The quarterly plan is written without asking the field what customers actually buy.",
		"Stop the side deals between individual reps and engineers; it undermines the process.",
		"Nobody owns the trade-off between the big deal and the platform. Someone should.",
		"Release notes arrive after customers have already seen the change.",
		"Comp plans reward selling what doesn't exist yet. Fix the incentives & the friction goes away.",
		"Less “urgent” escalations, more planning – please.",
		"Sales & product should share one pipeline view — right now it's \"us\" vs 'them'.",
		"Too many one-off requests get approved in hallway conversations.",
		"Customer feedback is summarised by whoever shouts loudest.",
	}
	mixedComments = []string{
		"A shared monthly review of lost deals with product in the room.",
		"Clearer criteria for what makes it onto the roadmap.",
		"Regular office hours where sales can bring customer problems to product.",
		"Agree on a single intake form for requests and publish the decisions.",
		"More context on why things are prioritised the way they are.",
		"Joint planning sessions at the start of each quarter.",
		"Better handover of customer context from sales to onboarding and product.",
		"Involve sales engineers earlier in discovery.",
		"Publish a simple <now / next / later> roadmap sales can share.",
		"A standing slot in the weekly sales call for product updates.",
		"Shorter feedback loop on beta features: tell us who is trying what.",
		"Fewer surveys, more action on the last one's results.",
	}
	positiveComments = []string{
		"Honestly, the new request process works. Keep it.",
		"The joint roadmap reviews have made a real difference this quarter.",
		"Product has been great at explaining trade-offs lately.",
		"Keep doing the win/loss sessions together, they're the best hour of the month.",
		"Things are much better than a year ago; keep the cadence.",
		"<b>Nothing big</b> — just keep talking to each other like this.",
	}
	commentLeadIns = []string{
		"Honestly? ", "One ask: ", "From the field: ", "My two cents: ", "Biggest thing for me: ",
		"As a new joiner: ", "Simple really: ", "If I could change one thing: ", "After this quarter: ",
	}
	commentAddenda = []string{
		" This has come up in every pulse so far.",
		" Otherwise things are improving.",
		" Happy to help set this up.",
		"\nThanks for asking.",
		" It matters most at quarter end.",
		" Same as last time, really.",
		" We lose deals over this.",
		" Customers notice it.",
		" Small change, big difference.",
		" Let's not wait another quarter.",
		" Would save everyone hours a week.",
		" The new hires feel this most.",
		" (Said it before, saying it again.)",
	}
)
