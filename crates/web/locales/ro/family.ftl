# Paginile familiei în afara directorului, în română. Aceleași identificatoare în fiecare limbă.

footer-privacy = Confidențialitate
footer-accessibility = Accesibilitate
footer-cookies = Cookie-uri
footer-links = Linkuri de ajutor

feedback-title = Spuneți-ne despre ajutorul primit
feedback-intro = Răspunsurile dumneavoastră ajung la echipa care v-a ajutat familia. Ne ajută să îmbunătățim ajutorul pentru alte familii.
feedback-rating = Cum a fost ajutorul primit de familia dumneavoastră?
rating-5 = Foarte bun
rating-4 = Bun
rating-3 = Acceptabil
rating-2 = Nu prea bun
rating-1 = Rău
feedback-what-changed = Ce s-a schimbat pentru familia dumneavoastră?
feedback-what-changed-hint = Spuneți cu propriile cuvinte. Nu este nicio problemă dacă nu s-au schimbat multe.
feedback-anything-else = Mai doriți să ne spuneți ceva? (opțional)
feedback-send = Trimiteți
feedback-error-rating = Alegeți cum a fost ajutorul pentru familia dumneavoastră
feedback-error-what-changed = Spuneți-ne cu propriile cuvinte ce s-a schimbat pentru familia dumneavoastră
feedback-error-too-long = Acest răspuns este prea lung: scrieți cel mult 5.000 de caractere
feedback-thanks-title = Vă mulțumim
feedback-thanks = Am primit răspunsurile dumneavoastră. Ne ajută să îmbunătățim ajutorul pentru alte familii.
feedback-refused-title = Acest link nu poate fi folosit
feedback-used = Ne-ați spus deja despre ajutorul primit. Vă mulțumim. Fiecare link poate fi folosit o singură dată.
feedback-expired = Acest link nu mai funcționează. Dacă doriți totuși să ne spuneți despre ajutorul primit, cereți un link nou persoanei care lucrează cu dumneavoastră.

page-privacy = Notificare privind confidențialitatea
page-accessibility = Declarație de accesibilitate
page-cookies = Cookie-uri
contact-fallback = persoana care lucrează cu familia dumneavoastră
error-prefix = Eroare
# Chestionarele din timpul ajutorului (ADR 0037): versiunea pentru adulți și cea pentru copii.
survey-title-family = Câteva întrebări despre ajutorul primit
survey-intro-family = Sunt doar câteva întrebări. Răspunsurile dumneavoastră ajung la echipa care vă ajută familia și ne ajută să îmbunătățim ajutorul.
survey-title-child = Spune-ne cum îți este
survey-intro-child = Sunt doar câteva întrebări. Nu există răspunsuri bune sau greșite.
survey-error-choose = Alegeți un răspuns
survey-error-too-long = Acest răspuns este prea lung: poate avea cel mult 2.000 de caractere
survey-family-listened = Lucrătorul dumneavoastră ascultă de ce are nevoie familia dumneavoastră?
survey-family-clear = Știți ce se va întâmpla în continuare?
survey-family-better = De când a început ajutorul, lucrurile sunt mai bune, cam la fel sau mai rele pentru familia dumneavoastră?
survey-family-comment = Vreți să ne mai spuneți ceva? (opțional)
survey-child-listened = Lucrătorul tău te ascultă?
survey-child-clear = Știi ce se întâmplă mai departe?
survey-child-better = Acum îți este mai bine, cam la fel sau mai rău?
survey-child-comment = Mai vrei să spui ceva? Poți lăsa gol.
survey-choice-better = Mai bine
survey-choice-same = Cam la fel
survey-choice-worse = Mai rău
survey-choice-yes = Da
survey-choice-a-bit = Puțin
survey-choice-no = Nu

## Refusals on the family's pages.
refusal-wait-title = Vă rugăm să așteptați câteva minute
refusal-wait-text = Ați trimis multe într-un timp scurt, așa că am făcut o scurtă pauză. Ce ați trimis acum nu a ajuns la noi.
refusal-wait-next = Așteptați câteva minute, apoi întoarceți-vă și încercați din nou. Tot ce ați trimis înainte este în siguranță.
refusal-form-title = Răspunsurile dumneavoastră nu au fost trimise încă
refusal-form-text = Nu am putut verifica faptul că acest formular a venit de pe acest site. Asta se poate întâmpla când o pagină rămâne deschisă mult timp sau este deschisă în altă fereastră. Nu s-a trimis nimic.
refusal-form-next = Întoarceți-vă la pagină și trimiteți din nou răspunsurile.
refusal-form-typed = Ce ați scris, ca să copiați
refusal-busy-title = Serviciul este foarte aglomerat
refusal-busy-text = Ce ați trimis acum nu a ajuns la noi. Așteptați câteva secunde, apoi încercați din nou. Tot ce ați trimis înainte este în siguranță.
refusal-not-found-title = Pagina nu a fost găsită
refusal-not-found-text = Este posibil ca linkul să fie greșit sau să nu mai funcționeze. Verificați adresa sau începeți din nou de la pagina de mai jos.
refusal-sent-title = Ne pare rău, este o problemă cu ce s-a trimis
refusal-sent-text = Ce ați trimis nu a putut fi folosit și nu s-a salvat nimic. Întoarceți-vă și încercați din nou.
refusal-problem-title = Ne pare rău, este o problemă cu serviciul
refusal-problem-text = Încercați din nou mai târziu. Tot ce ați trimis înainte este în siguranță. Dacă se tot întâmplă, spuneți persoanelor care vă ajută familia și dați-le referința de mai jos.
refusal-back = Întoarceți-vă la pagină
refusal-reference = Referință:
