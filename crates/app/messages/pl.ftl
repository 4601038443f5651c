# Wiadomości Hearth po polsku.
feedback-link-subject = Jak oceniasz pomoc, którą otrzymała Twoja rodzina?
feedback-link-body = Pomoc dla Twojej rodziny dobiegła końca. Powiedz nam, jak ją oceniasz i co się u Was zmieniło. Zajmie to kilka minut i nie potrzebujesz konta. Link działa jeden raz, do { $expires }.
password-reset-subject = Ustaw nowe hasło do Hearth
password-reset-body = Dzień dobry, { $name }. Administrator przygotował dla Ciebie link do ustawienia nowego hasła. Działa jeden raz, do { $expires }. Jeśli o niego nie prosiłeś, powiedz o tym administratorowi.
taf-invitation-subject = Dołączyłeś do zespołu wokół rodziny
taf-invitation-body = Dzień dobry, { $name }. Dodano Cię do zespołu wokół rodziny (Team Around the Family). Zaloguj się, aby zobaczyć plan rodziny i zadania dla Ciebie.
request-outcome-subject = Decyzja w sprawie Twojego wniosku o wsparcie
request-outcome-body = Dzień dobry, { $name }. Zespół przyjmujący zgłoszenia podjął decyzję w sprawie Twojego wniosku o wsparcie. Zaloguj się, aby ją przeczytać.
footer = Tę wiadomość wysłał Hearth. Prosimy na nią nie odpowiadać.
survey-link-subject = Kilka pytań o pomoc, którą otrzymuje Twoja rodzina
survey-link-body = Chcielibyśmy wiedzieć, jak przebiega pomoc dla Twojej rodziny. To tylko kilka pytań, zajmą około dwóch minut i nie potrzebujesz konta. Link działa jeden raz, do { $expires }.
family-page-link-subject = Twój link do strony Twojej rodziny
family-page-link-body = Użyj tego linku, aby zobaczyć plan Twojej rodziny, kto Ci pomaga i jak się z nimi skontaktować, oraz aby wysłać wiadomość do głównego specjalisty. Działa jeden raz, do { $expires }. Jeśli się go nie spodziewasz, możesz zignorować tę wiadomość.
family-message-subject = Masz nową wiadomość o pomocy dla Twojej rodziny
family-message-body = W Hearth czeka na Ciebie nowa wiadomość. Otwórz swoją stronę, aby ją przeczytać.
training-reminder-subject = Twoje szkolenie wkrótce wygasa: { $course }
training-reminder-body = Dzień dobry, { $name }. Twoje szkolenie { $course } wygasa { $expires }. Zarezerwuj je ponownie; pomoże Ci { $ask }. Zaloguj się, aby zobaczyć swoje szkolenia.
training-reminder-text = Hearth, przypomnienie: szkolenie { $course } wygasa { $expires }:
work-reminder-subject = Przypomnienie: { $work ->
        [assessment] termin oceny to { $due }
        [review] termin przeglądu Team Around the Family to { $due }
        [action] termin Twojego działania w planie to { $due }
       *[task] termin Twojego zadania to { $due }
    }
work-reminder-body = Dzień dobry, { $name }. { $work ->
        [assessment] Termin oceny rodziny, którą prowadzisz, to { $due }.
        [review] Termin przeglądu Team Around the Family rodziny, którą prowadzisz, to { $due }.
        [action] Termin Twojego działania w planie rodziny to { $due }.
       *[task] Termin przypisanego Ci zadania to { $due }.
    } Zaloguj się, aby je zobaczyć.

# Text messages (ADR 0049): short, the link follows on the same text; kept within three texts.
feedback-link-text = Family Help: powiedz nam, jak było. Link działa raz, do { $expires }:
family-page-link-text = Family Help: link do strony Twojej rodziny. Działa raz, do { $expires }:
work-reminder-text = Hearth, przypomnienie: { $work ->
        [assessment] ocena
        [review] przegląd TAF
        [action] działanie w planie
       *[task] zadanie
    }, termin { $due }:
