# Publiczny katalog usług, po polsku. Nie zmieniaj identyfikatora przed znakiem =, tylko tekst po nim.

skip-link = Przejdź do głównej treści
language-nav = Wybierz język
site-footer = Usługi Family Hubs i ich partnerów. Nie musisz się logować. Nie zapisujemy Twoich wyszukiwań.

search-title = Znajdź usługi dla swojej rodziny
search-intro = Grupy, porady i wsparcie w pobliżu, od Family Hubs i ich partnerów.
field-q = Czego szukasz? (opcjonalnie)
hint-q = Na przykład: wsparcie dla rodziców, zabawa i nauka, porady w sprawie długów
field-need = Rodzaj pomocy
need-any = Dowolny rodzaj pomocy
field-age = Wiek dziecka w latach (opcjonalnie)
hint-age = Na przykład 3. Zostaw puste, aby zobaczyć usługi dla każdego wieku.
field-postcode = Twój kod pocztowy (opcjonalnie)
hint-postcode = Na przykład NG7 5AA albo tylko pierwsza część, NG7
field-distance = Jak daleko możesz dojechać?
distance-miles = { $miles ->
    [one] Do 1 mili
    [few] Do { $miles } mil
    [many] Do { $miles } mil
   *[other] Do { $miles } mili
}
field-options = Pokaż tylko
option-free = Bezpłatne usługi
option-hub = Usługi w Family Hub
field-day = Dzień
day-any = Dowolny dzień
field-language = Język używany w usłudze
language-any = Dowolny język
search-button = Szukaj

results-heading = { $count ->
    [0] Nie znaleziono usług
    [one] Znaleziono 1 usługę
    [few] Znaleziono { $count } usługi
    [many] Znaleziono { $count } usług
   *[other] Znaleziono { $count } usługi
}
no-results = Spróbuj większej odległości, innego rodzaju pomocy lub mniejszej liczby opcji.
miles-away = { $miles } mil stąd
free = Bezpłatnie
ages-range = Wiek od { $min } do { $max } lat
ages-from = Od { $min } lat
ages-to = Do { $max } lat
ages-all = Dla każdego wieku
family-hub = Family Hub
previous-page = Poprzednia strona
next-page = Następna strona
page-of = Strona { $page } z { $pages }

error-summary-title = Wystąpił problem
# Before the page title when the page shows problems (GOV.UK: "Error: ").
error-title-prefix = Błąd
error-age-not-number = Wpisz wiek dziecka jako liczbę, na przykład 3
error-age-negative = Wiek musi wynosić 0 lub więcej
error-age-too-high = Wiek musi wynosić 120 lub mniej
error-postcode-malformed = Wpisz prawidłowy kod pocztowy, na przykład NG7 5AA, albo jego pierwszą część, na przykład NG7
error-postcode-unknown = Nie wiemy, gdzie jest ten kod pocztowy. Sprawdź go albo wpisz tylko pierwszą część, na przykład NG7
error-distance-invalid = Wybierz odległość z listy
error-page-invalid = Ta strona nie istnieje. Wróć do pierwszej strony.
error-page-size-invalid = Liczba wyników na stronie musi wynosić 1 lub więcej
error-page-size-too-large = Poproś o najwyżej 100 wyników na stronę

back-to-search = Wróć do wyszukiwania
who-heading = Dla kogo
cost-heading = Koszt
how-heading = Jak dołączyć
when-heading = Kiedy
where-heading = Gdzie
contact-heading = Jak się skontaktować
languages-heading = Języki
access-heading = Dostępność budynku
map-link = Pokaż { $place } na mapie
phone = Telefon
email = E-mail
website = Strona internetowa
time-range = od { $from } do { $to }
last-checked = Te informacje sprawdzono ostatnio { $date }.
service-closed = Ta usługa obecnie nie działa.
not-found-title = Nie znaleziono usługi
not-found-body = Tej usługi nie ma w katalogu albo została zamknięta. Wyszukaj ponownie, aby znaleźć inne.

access-drop_in = Przyjdź bez umawiania się
access-self_referral = Skontaktuj się z usługą samodzielnie
access-professional_referral = Poproś znanego Ci specjalistę, na przykład położną środowiskową lub nauczyciela, o skierowanie

day-MO = poniedziałek
day-TU = wtorek
day-WE = środa
day-TH = czwartek
day-FR = piątek
day-SA = sobota
day-SU = niedziela

need-parenting = Wsparcie dla rodziców
need-play_learning = Zabawa i wczesna nauka
need-infant_feeding = Karmienie niemowląt
need-perinatal_mental_health = Zdrowie psychiczne w ciąży i po porodzie
need-wellbeing = Zdrowie emocjonalne i psychiczne
need-send = Specjalne potrzeby edukacyjne i niepełnosprawność
need-school = Frekwencja i nauka w szkole
need-youth = Zajęcia dla młodzieży
need-substance_use = Narkotyki i alkohol
need-relationships = Zdrowe relacje
need-domestic_abuse = Wsparcie w przypadku przemocy domowej
need-staying_safe = Ochrona przed wykorzystywaniem
need-housing = Porady mieszkaniowe
need-money = Pieniądze, długi i zasiłki
need-work = Praca i szkolenia
