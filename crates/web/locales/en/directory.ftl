# The public directory of services, in English. Each language has a file like this one with the
# same message ids; a translator changes the text after the = sign and never the id before it.

skip-link = Skip to main content
language-nav = Choose your language
site-footer = Services from the Family Hubs and partners. You do not need to sign in. We do not record your searches.

search-title = Find services for your family
search-intro = Groups, advice and support near you, from the Family Hubs and their partners.
field-q = What are you looking for? (optional)
hint-q = For example: parenting, stay and play, debt advice
field-need = Type of help
need-any = Any type of help
field-age = Age of your child, in years (optional)
hint-age = For example, 3. Leave empty to see services for all ages.
field-postcode = Your postcode (optional)
hint-postcode = For example, NG7 5AA, or just the first part, NG7
field-distance = How far can you travel?
distance-miles = { $miles ->
    [one] Within 1 mile
   *[other] Within { $miles } miles
}
field-options = Only show
option-free = Free services
option-hub = Services at a Family Hub
field-day = Day
day-any = Any day
field-language = Language spoken at the service
language-any = Any language
search-button = Search

results-heading = { $count ->
    [0] No services found
    [one] 1 service found
   *[other] { $count } services found
}
no-results = Try a wider distance, another type of help or fewer choices.
miles-away = { $miles } miles away
free = Free
ages-range = Ages { $min } to { $max }
ages-from = Age { $min } and over
ages-to = Up to age { $max }
ages-all = All ages
family-hub = Family Hub
previous-page = Previous page
next-page = Next page
page-of = Page { $page } of { $pages }

error-summary-title = There is a problem
# Before the page title when the page shows problems (GOV.UK: "Error: ").
error-title-prefix = Error
error-age-not-number = Enter your child's age as a number, like 3
error-age-negative = Age must be 0 or more
error-age-too-high = Age must be 120 or less
error-postcode-malformed = Enter a real postcode, like NG7 5AA, or the first part, like NG7
error-postcode-unknown = We do not know where that postcode is. Check it, or try the first part only, like NG7
error-distance-invalid = Choose a distance from the list
error-page-invalid = That page does not exist. Go back to the first page.
error-page-size-invalid = The number of results per page must be 1 or more
error-page-size-too-large = Ask for 100 results a page or fewer

back-to-search = Back to search
who-heading = Who it is for
cost-heading = Cost
how-heading = How to join
when-heading = When
where-heading = Where
contact-heading = How to get in touch
languages-heading = Languages spoken
access-heading = Getting in and around
map-link = Show { $place } on a map
phone = Phone
email = Email
website = Website
time-range = { $from } to { $to }
last-checked = This information was last checked on { $date }.
service-closed = This service is not running at the moment.
not-found-title = Service not found
not-found-body = This service is not in the directory, or it has closed. Search again to find others.

access-drop_in = Drop in: just come along
access-self_referral = Contact the service yourself
access-professional_referral = Ask a professional you know, such as a health visitor or teacher, to refer you

day-MO = Monday
day-TU = Tuesday
day-WE = Wednesday
day-TH = Thursday
day-FR = Friday
day-SA = Saturday
day-SU = Sunday

need-parenting = Parenting support
need-play_learning = Play and early learning
need-infant_feeding = Infant feeding
need-perinatal_mental_health = Mental health in pregnancy and after birth
need-wellbeing = Emotional wellbeing and mental health
need-send = Special educational needs and disabilities
need-school = School attendance and learning
need-youth = Youth activities
need-substance_use = Drugs and alcohol
need-relationships = Healthy relationships
need-domestic_abuse = Domestic abuse support
need-staying_safe = Staying safe from exploitation
need-housing = Housing advice
need-money = Money, debt and benefits
need-work = Work and training
