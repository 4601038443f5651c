# Strony dla rodzin poza katalogiem usług, po polsku. Te same identyfikatory w każdym języku.

footer-privacy = Prywatność
footer-accessibility = Dostępność
footer-cookies = Pliki cookie
footer-links = Linki pomocy

feedback-title = Opowiedz nam o pomocy, którą otrzymałeś
feedback-intro = Twoje odpowiedzi trafią do zespołu, który pomagał Twojej rodzinie. Pomagają nam ulepszać pomoc dla innych rodzin.
feedback-rating = Jak oceniasz pomoc, którą otrzymała Twoja rodzina?
rating-5 = Bardzo dobra
rating-4 = Dobra
rating-3 = W porządku
rating-2 = Niezbyt dobra
rating-1 = Zła
feedback-what-changed = Co zmieniło się w Twojej rodzinie?
feedback-what-changed-hint = Napisz własnymi słowami. Nic nie szkodzi, jeśli niewiele się zmieniło.
feedback-anything-else = Czy chcesz nam powiedzieć coś jeszcze? (opcjonalnie)
feedback-send = Wyślij
feedback-error-rating = Wybierz, jak oceniasz pomoc dla Twojej rodziny
feedback-error-what-changed = Napisz własnymi słowami, co zmieniło się w Twojej rodzinie
feedback-error-too-long = Ta odpowiedź jest za długa: może mieć najwyżej 5000 znaków
feedback-thanks-title = Dziękujemy
feedback-thanks = Otrzymaliśmy Twoje odpowiedzi. Pomagają nam ulepszać pomoc dla innych rodzin.
feedback-refused-title = Tego linku nie można użyć
feedback-used = Już opowiedziałeś nam o otrzymanej pomocy. Dziękujemy. Każdego linku można użyć tylko raz.
feedback-expired = Ten link już nie działa. Jeśli nadal chcesz opowiedzieć nam o otrzymanej pomocy, poproś swojego pracownika o nowy link.

page-privacy = Informacja o prywatności
page-accessibility = Deklaracja dostępności
page-cookies = Pliki cookie
contact-fallback = osobą, która pracuje z Twoją rodziną
error-prefix = Błąd
# Ankiety w trakcie pomocy (ADR 0037): wersja dla dorosłych i dla dzieci.
survey-title-family = Kilka pytań o pomoc
survey-intro-family = To tylko kilka pytań. Twoje odpowiedzi trafią do zespołu, który pomaga Twojej rodzinie, i pomogą nam ulepszać pomoc.
survey-title-child = Powiedz nam, jak Ci jest
survey-intro-child = To tylko kilka pytań. Nie ma dobrych ani złych odpowiedzi.
survey-error-choose = Wybierz odpowiedź
survey-error-too-long = Ta odpowiedź jest za długa: może mieć najwyżej 2000 znaków
survey-family-listened = Czy Twój pracownik słucha, czego potrzebuje Twoja rodzina?
survey-family-clear = Czy wiesz, co będzie dalej?
survey-family-better = Czy od początku pomocy sytuacja Twojej rodziny jest lepsza, mniej więcej taka sama, czy gorsza?
survey-family-comment = Czy chcesz nam coś powiedzieć? (opcjonalnie)
survey-child-listened = Czy Twój pracownik Cię słucha?
survey-child-clear = Czy wiesz, co będzie dalej?
survey-child-better = Czy teraz jest Ci lepiej, tak samo, czy gorzej?
survey-child-comment = Chcesz powiedzieć coś jeszcze? Możesz zostawić to puste.
survey-choice-better = Lepiej
survey-choice-same = Mniej więcej tak samo
survey-choice-worse = Gorzej
survey-choice-yes = Tak
survey-choice-a-bit = Trochę
survey-choice-no = Nie

## Refusals on the family's pages.
refusal-wait-title = Prosimy poczekać kilka minut
refusal-wait-text = W krótkim czasie wysłano dużo, więc na chwilę wstrzymaliśmy przyjmowanie. To, co wysłano przed chwilą, do nas nie dotarło.
refusal-wait-next = Poczekaj kilka minut, a potem wróć i spróbuj ponownie. Wszystko, co wysłano wcześniej, jest bezpieczne.
refusal-form-title = Twoje odpowiedzi nie zostały jeszcze wysłane
refusal-form-text = Nie mogliśmy sprawdzić, czy ten formularz pochodzi z tej strony. Może się tak zdarzyć, gdy strona była długo otwarta albo jest otwarta w innym oknie. Nic nie zostało wysłane.
refusal-form-next = Wróć do strony i wyślij odpowiedzi ponownie.
refusal-form-typed = To, co wpisano, do skopiowania
refusal-busy-title = Serwis jest teraz bardzo obciążony
refusal-busy-text = To, co wysłano przed chwilą, do nas nie dotarło. Poczekaj kilka sekund i spróbuj ponownie. Wszystko, co wysłano wcześniej, jest bezpieczne.
refusal-not-found-title = Nie znaleziono strony
refusal-not-found-text = Link może być błędny albo już nie działać. Sprawdź adres strony albo zacznij od nowa od strony poniżej.
refusal-sent-title = Przepraszamy, jest problem z tym, co wysłano
refusal-sent-text = Nie mogliśmy użyć tego, co wysłano, i nic nie zostało zapisane. Wróć i spróbuj ponownie.
refusal-problem-title = Przepraszamy, wystąpił problem z serwisem
refusal-problem-text = Spróbuj ponownie później. Wszystko, co wysłano wcześniej, jest bezpieczne. Jeśli to się powtarza, powiedz osobom, które pomagają Twojej rodzinie, i podaj im numer referencyjny poniżej.
refusal-back = Wróć do strony
refusal-reference = Numer referencyjny:
