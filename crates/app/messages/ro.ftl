# Mesajele Hearth în limba română.
feedback-link-subject = Cum a fost ajutorul primit de familia dumneavoastră?
feedback-link-body = Ajutorul pentru familia dumneavoastră s-a încheiat. Vă rugăm să ne spuneți cum a fost și ce s-a schimbat pentru dumneavoastră. Durează câteva minute și nu aveți nevoie de un cont. Linkul funcționează o singură dată, până la { $expires }.
password-reset-subject = Alegeți o parolă nouă pentru Hearth
password-reset-body = Bună ziua, { $name }. Un administrator a creat pentru dumneavoastră un link pentru a alege o parolă nouă. Funcționează o singură dată, până la { $expires }. Dacă nu l-ați cerut, spuneți-i administratorului.
taf-invitation-subject = Faceți parte dintr-o echipă din jurul familiei
taf-invitation-body = Bună ziua, { $name }. Ați fost adăugat în echipa din jurul unei familii (Team Around the Family). Conectați-vă pentru a vedea planul familiei și ce vi se cere.
request-outcome-subject = O decizie privind cererea dumneavoastră de sprijin
request-outcome-body = Bună ziua, { $name }. Echipa de primire a luat o decizie privind cererea dumneavoastră de sprijin. Conectați-vă pentru a o citi.
footer = Acest mesaj a fost trimis de Hearth. Vă rugăm să nu răspundeți la el.
survey-link-subject = Câteva întrebări despre ajutorul pe care îl primește familia dumneavoastră
survey-link-body = Am dori să știm cum merge ajutorul pentru familia dumneavoastră. Sunt doar câteva întrebări, durează cam două minute și nu aveți nevoie de un cont. Linkul funcționează o singură dată, până la { $expires }.
family-page-link-subject = Linkul către pagina familiei dumneavoastră
family-page-link-body = Folosiți acest link pentru a vedea planul familiei, cine vă ajută și cum îi puteți contacta și pentru a trimite un mesaj profesionistului principal. Funcționează o singură dată, până la { $expires }. Dacă nu vă așteptați la el, puteți ignora acest mesaj.
family-message-subject = Aveți un mesaj nou despre ajutorul pentru familia dumneavoastră
family-message-body = Aveți un mesaj nou în Hearth. Deschideți pagina dumneavoastră pentru a-l citi.
training-reminder-subject = Instruirea dumneavoastră expiră în curând: { $course }
training-reminder-body = Bună ziua, { $name }. Instruirea { $course } expiră pe { $expires }. Vă rugăm să o rezervați din nou; { $ask } vă poate ajuta. Conectați-vă pentru a vedea instruirea dumneavoastră.
training-reminder-text = Hearth, memento: instruirea { $course } expiră pe { $expires }:
work-reminder-subject = Memento: { $work ->
        [assessment] o evaluare are termen { $due }
        [review] o revizuire Team Around the Family are termen { $due }
        [action] o acțiune a dumneavoastră dintr-un plan are termen { $due }
       *[task] o sarcină a dumneavoastră are termen { $due }
    }
work-reminder-body = Bună ziua, { $name }. { $work ->
        [assessment] Evaluarea unei familii pe care o coordonați are termen { $due }.
        [review] Revizuirea Team Around the Family a unei familii pe care o coordonați are termen { $due }.
        [action] O acțiune care vă aparține din planul unei familii are termen { $due }.
       *[task] O sarcină care v-a fost atribuită are termen { $due }.
    } Conectați-vă pentru a o vedea.

# Text messages (ADR 0049): short, the link follows on the same text; kept within three texts.
feedback-link-text = Family Help: spuneți-ne cum a fost ajutorul. Linkul merge o dată, până la { $expires }:
family-page-link-text = Family Help: linkul către pagina familiei. Merge o dată, până la { $expires }:
work-reminder-text = Hearth, memento: { $work ->
        [assessment] evaluare
        [review] revizuire TAF
        [action] acțiune din plan
       *[task] sarcină
    }, termen { $due }:
