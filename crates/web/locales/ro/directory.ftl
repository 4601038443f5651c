# Ghidul public al serviciilor, în limba română. Nu schimbați identificatorul dinaintea semnului =, doar textul de după el.

skip-link = Salt la conținutul principal
language-nav = Alegeți limba
site-footer = Servicii oferite de centrele Family Hub și partenerii lor. Nu trebuie să vă autentificați. Nu înregistrăm căutările dumneavoastră.

search-title = Găsiți servicii pentru familia dumneavoastră
search-intro = Grupuri, sfaturi și sprijin în apropiere, de la centrele Family Hub și partenerii lor.
field-q = Ce căutați? (opțional)
hint-q = De exemplu: sprijin pentru părinți, joacă și învățare, sfaturi despre datorii
field-need = Tipul de ajutor
need-any = Orice tip de ajutor
field-age = Vârsta copilului, în ani (opțional)
hint-age = De exemplu, 3. Lăsați gol pentru a vedea servicii pentru toate vârstele.
field-postcode = Codul poștal (opțional)
hint-postcode = De exemplu, NG7 5AA, sau doar prima parte, NG7
field-distance = Cât de departe puteți merge?
distance-miles = { $miles ->
    [one] Pe o rază de 1 milă
    [few] Pe o rază de { $miles } mile
   *[other] Pe o rază de { $miles } de mile
}
field-options = Arată doar
option-free = Servicii gratuite
option-hub = Servicii la un Family Hub
field-day = Ziua
day-any = Orice zi
field-language = Limba vorbită la serviciu
language-any = Orice limbă
search-button = Căutați

results-heading = { $count ->
    [0] Nu s-a găsit niciun serviciu
    [one] S-a găsit 1 serviciu
    [few] S-au găsit { $count } servicii
   *[other] S-au găsit { $count } de servicii
}
no-results = Încercați o distanță mai mare, alt tip de ajutor sau mai puține opțiuni.
miles-away = la { $miles } mile distanță
free = Gratuit
ages-range = Vârste între { $min } și { $max } ani
ages-from = De la { $min } ani în sus
ages-to = Până la { $max } ani
ages-all = Toate vârstele
family-hub = Family Hub
previous-page = Pagina anterioară
next-page = Pagina următoare
page-of = Pagina { $page } din { $pages }

error-summary-title = Există o problemă
# Before the page title when the page shows problems (GOV.UK: "Error: ").
error-title-prefix = Eroare
error-age-not-number = Introduceți vârsta copilului ca număr, de exemplu 3
error-age-negative = Vârsta trebuie să fie 0 sau mai mare
error-age-too-high = Vârsta trebuie să fie 120 sau mai mică
error-postcode-malformed = Introduceți un cod poștal corect, de exemplu NG7 5AA, sau prima parte, de exemplu NG7
error-postcode-unknown = Nu știm unde se află acest cod poștal. Verificați-l sau încercați doar prima parte, de exemplu NG7
error-distance-invalid = Alegeți o distanță din listă
error-page-invalid = Această pagină nu există. Reveniți la prima pagină.
error-page-size-invalid = Numărul de rezultate pe pagină trebuie să fie 1 sau mai mare
error-page-size-too-large = Cereți cel mult 100 de rezultate pe pagină

back-to-search = Înapoi la căutare
who-heading = Pentru cine este
cost-heading = Cost
how-heading = Cum vă înscrieți
when-heading = Când
where-heading = Unde
contact-heading = Cum luați legătura
languages-heading = Limbi vorbite
access-heading = Acces în clădire
map-link = Arată { $place } pe hartă
phone = Telefon
email = E-mail
website = Site web
time-range = de la { $from } la { $to }
last-checked = Aceste informații au fost verificate ultima dată pe { $date }.
service-closed = Acest serviciu nu funcționează în prezent.
not-found-title = Serviciul nu a fost găsit
not-found-body = Acest serviciu nu se află în ghid sau s-a închis. Căutați din nou pentru a găsi altele.

access-drop_in = Veniți direct, fără programare
access-self_referral = Contactați singur serviciul
access-professional_referral = Rugați un specialist pe care îl cunoașteți, de exemplu asistentul medical comunitar sau profesorul, să vă trimită

day-MO = luni
day-TU = marți
day-WE = miercuri
day-TH = joi
day-FR = vineri
day-SA = sâmbătă
day-SU = duminică

need-parenting = Sprijin pentru părinți
need-play_learning = Joacă și învățare timpurie
need-infant_feeding = Hrănirea sugarului
need-perinatal_mental_health = Sănătatea mintală în sarcină și după naștere
need-wellbeing = Sănătate emoțională și mintală
need-send = Nevoi educaționale speciale și dizabilități
need-school = Prezența la școală și învățarea
need-youth = Activități pentru tineri
need-substance_use = Droguri și alcool
need-relationships = Relații sănătoase
need-domestic_abuse = Sprijin în cazul violenței domestice
need-staying_safe = Protecție împotriva exploatării
need-housing = Sfaturi privind locuința
need-money = Bani, datorii și ajutoare sociale
need-work = Muncă și formare profesională
