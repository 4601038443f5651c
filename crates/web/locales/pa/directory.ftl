# ਸੇਵਾਵਾਂ ਦੀ ਜਨਤਕ ਡਾਇਰੈਕਟਰੀ, ਪੰਜਾਬੀ ਵਿੱਚ। = ਤੋਂ ਪਹਿਲਾਂ ਵਾਲੀ ਪਛਾਣ ਨਾ ਬਦਲੋ, ਸਿਰਫ਼ ਬਾਅਦ ਵਾਲਾ ਲਿਖਤ।

skip-link = ਮੁੱਖ ਸਮੱਗਰੀ ਤੇ ਜਾਓ
language-nav = ਆਪਣੀ ਭਾਸ਼ਾ ਚੁਣੋ
site-footer = ਫੈਮਿਲੀ ਹੱਬਾਂ ਅਤੇ ਉਨ੍ਹਾਂ ਦੇ ਭਾਈਵਾਲਾਂ ਦੀਆਂ ਸੇਵਾਵਾਂ। ਤੁਹਾਨੂੰ ਸਾਈਨ ਇਨ ਕਰਨ ਦੀ ਲੋੜ ਨਹੀਂ। ਅਸੀਂ ਤੁਹਾਡੀਆਂ ਖੋਜਾਂ ਨੂੰ ਦਰਜ ਨਹੀਂ ਕਰਦੇ।

search-title = ਆਪਣੇ ਪਰਿਵਾਰ ਲਈ ਸੇਵਾਵਾਂ ਲੱਭੋ
search-intro = ਤੁਹਾਡੇ ਨੇੜੇ ਗਰੁੱਪ, ਸਲਾਹ ਅਤੇ ਮਦਦ, ਫੈਮਿਲੀ ਹੱਬਾਂ ਅਤੇ ਉਨ੍ਹਾਂ ਦੇ ਭਾਈਵਾਲਾਂ ਵੱਲੋਂ।
field-q = ਤੁਸੀਂ ਕੀ ਲੱਭ ਰਹੇ ਹੋ? (ਚੋਣਵਾਂ)
hint-q = ਉਦਾਹਰਨ ਲਈ: ਮਾਪਿਆਂ ਲਈ ਮਦਦ, ਖੇਡ ਅਤੇ ਸਿੱਖਿਆ, ਕਰਜ਼ੇ ਬਾਰੇ ਸਲਾਹ
field-need = ਮਦਦ ਦੀ ਕਿਸਮ
need-any = ਕਿਸੇ ਵੀ ਕਿਸਮ ਦੀ ਮਦਦ
field-age = ਤੁਹਾਡੇ ਬੱਚੇ ਦੀ ਉਮਰ, ਸਾਲਾਂ ਵਿੱਚ (ਚੋਣਵਾਂ)
hint-age = ਉਦਾਹਰਨ ਲਈ 3। ਹਰ ਉਮਰ ਦੀਆਂ ਸੇਵਾਵਾਂ ਦੇਖਣ ਲਈ ਖਾਲੀ ਛੱਡੋ।
field-postcode = ਤੁਹਾਡਾ ਪੋਸਟਕੋਡ (ਚੋਣਵਾਂ)
hint-postcode = ਉਦਾਹਰਨ ਲਈ NG7 5AA, ਜਾਂ ਸਿਰਫ਼ ਪਹਿਲਾ ਹਿੱਸਾ NG7
field-distance = ਤੁਸੀਂ ਕਿੰਨੀ ਦੂਰ ਜਾ ਸਕਦੇ ਹੋ?
distance-miles = { $miles ->
    [one] 1 ਮੀਲ ਦੇ ਅੰਦਰ
   *[other] { $miles } ਮੀਲ ਦੇ ਅੰਦਰ
}
field-options = ਸਿਰਫ਼ ਇਹ ਦਿਖਾਓ
option-free = ਮੁਫ਼ਤ ਸੇਵਾਵਾਂ
option-hub = ਫੈਮਿਲੀ ਹੱਬ ਵਿੱਚ ਸੇਵਾਵਾਂ
field-day = ਦਿਨ
day-any = ਕੋਈ ਵੀ ਦਿਨ
field-language = ਸੇਵਾ ਵਿੱਚ ਬੋਲੀ ਜਾਂਦੀ ਭਾਸ਼ਾ
language-any = ਕੋਈ ਵੀ ਭਾਸ਼ਾ
search-button = ਖੋਜੋ

results-heading = { $count ->
    [0] ਕੋਈ ਸੇਵਾ ਨਹੀਂ ਮਿਲੀ
    [one] 1 ਸੇਵਾ ਮਿਲੀ
   *[other] { $count } ਸੇਵਾਵਾਂ ਮਿਲੀਆਂ
}
no-results = ਵੱਧ ਦੂਰੀ, ਮਦਦ ਦੀ ਕੋਈ ਹੋਰ ਕਿਸਮ ਜਾਂ ਘੱਟ ਚੋਣਾਂ ਅਜ਼ਮਾਓ।
miles-away = { $miles } ਮੀਲ ਦੂਰ
free = ਮੁਫ਼ਤ
ages-range = ਉਮਰ { $min } ਤੋਂ { $max } ਸਾਲ
ages-from = ਉਮਰ { $min } ਸਾਲ ਅਤੇ ਵੱਧ
ages-to = ਉਮਰ { $max } ਸਾਲ ਤੱਕ
ages-all = ਹਰ ਉਮਰ ਲਈ
family-hub = ਫੈਮਿਲੀ ਹੱਬ
previous-page = ਪਿਛਲਾ ਪੰਨਾ
next-page = ਅਗਲਾ ਪੰਨਾ
page-of = ਪੰਨਾ { $page } / { $pages }

error-summary-title = ਇੱਕ ਸਮੱਸਿਆ ਹੈ
# Before the page title when the page shows problems (GOV.UK: "Error: ").
error-title-prefix = ਗਲਤੀ
error-age-not-number = ਆਪਣੇ ਬੱਚੇ ਦੀ ਉਮਰ ਅੰਕਾਂ ਵਿੱਚ ਲਿਖੋ, ਜਿਵੇਂ 3
error-age-negative = ਉਮਰ 0 ਜਾਂ ਇਸ ਤੋਂ ਵੱਧ ਹੋਣੀ ਚਾਹੀਦੀ ਹੈ
error-age-too-high = ਉਮਰ 120 ਜਾਂ ਇਸ ਤੋਂ ਘੱਟ ਹੋਣੀ ਚਾਹੀਦੀ ਹੈ
error-postcode-malformed = ਸਹੀ ਪੋਸਟਕੋਡ ਲਿਖੋ, ਜਿਵੇਂ NG7 5AA, ਜਾਂ ਪਹਿਲਾ ਹਿੱਸਾ, ਜਿਵੇਂ NG7
error-postcode-unknown = ਸਾਨੂੰ ਨਹੀਂ ਪਤਾ ਕਿ ਇਹ ਪੋਸਟਕੋਡ ਕਿੱਥੇ ਹੈ। ਇਸਨੂੰ ਜਾਂਚੋ, ਜਾਂ ਸਿਰਫ਼ ਪਹਿਲਾ ਹਿੱਸਾ ਅਜ਼ਮਾਓ, ਜਿਵੇਂ NG7
error-distance-invalid = ਸੂਚੀ ਵਿੱਚੋਂ ਦੂਰੀ ਚੁਣੋ
error-page-invalid = ਇਹ ਪੰਨਾ ਮੌਜੂਦ ਨਹੀਂ ਹੈ। ਪਹਿਲੇ ਪੰਨੇ ਤੇ ਵਾਪਸ ਜਾਓ।
error-page-size-invalid = ਹਰ ਪੰਨੇ ਤੇ ਨਤੀਜਿਆਂ ਦੀ ਗਿਣਤੀ 1 ਜਾਂ ਵੱਧ ਹੋਣੀ ਚਾਹੀਦੀ ਹੈ
error-page-size-too-large = ਇੱਕ ਪੰਨੇ ਤੇ 100 ਜਾਂ ਘੱਟ ਨਤੀਜੇ ਮੰਗੋ

back-to-search = ਖੋਜ ਤੇ ਵਾਪਸ ਜਾਓ
who-heading = ਇਹ ਕਿਸ ਲਈ ਹੈ
cost-heading = ਖਰਚਾ
how-heading = ਕਿਵੇਂ ਸ਼ਾਮਲ ਹੋਈਏ
when-heading = ਕਦੋਂ
where-heading = ਕਿੱਥੇ
contact-heading = ਸੰਪਰਕ ਕਿਵੇਂ ਕਰੀਏ
languages-heading = ਬੋਲੀਆਂ ਜਾਂਦੀਆਂ ਭਾਸ਼ਾਵਾਂ
access-heading = ਅੰਦਰ ਆਉਣਾ ਅਤੇ ਘੁੰਮਣਾ-ਫਿਰਨਾ
map-link = { $place } ਨੂੰ ਨਕਸ਼ੇ ਤੇ ਦਿਖਾਓ
phone = ਫ਼ੋਨ
email = ਈਮੇਲ
website = ਵੈੱਬਸਾਈਟ
time-range = { $from } ਤੋਂ { $to } ਤੱਕ
last-checked = ਇਹ ਜਾਣਕਾਰੀ ਆਖਰੀ ਵਾਰ { $date } ਨੂੰ ਜਾਂਚੀ ਗਈ ਸੀ।
service-closed = ਇਹ ਸੇਵਾ ਇਸ ਵੇਲੇ ਨਹੀਂ ਚੱਲ ਰਹੀ।
not-found-title = ਸੇਵਾ ਨਹੀਂ ਮਿਲੀ
not-found-body = ਇਹ ਸੇਵਾ ਡਾਇਰੈਕਟਰੀ ਵਿੱਚ ਨਹੀਂ ਹੈ, ਜਾਂ ਬੰਦ ਹੋ ਗਈ ਹੈ। ਹੋਰ ਸੇਵਾਵਾਂ ਲੱਭਣ ਲਈ ਦੁਬਾਰਾ ਖੋਜੋ।

access-drop_in = ਬੱਸ ਆ ਜਾਓ: ਸਮਾਂ ਲੈਣ ਦੀ ਲੋੜ ਨਹੀਂ
access-self_referral = ਸੇਵਾ ਨਾਲ ਆਪ ਸੰਪਰਕ ਕਰੋ
access-professional_referral = ਕਿਸੇ ਜਾਣੂ ਪੇਸ਼ੇਵਰ, ਜਿਵੇਂ ਹੈਲਥ ਵਿਜ਼ਿਟਰ ਜਾਂ ਅਧਿਆਪਕ, ਨੂੰ ਕਹੋ ਕਿ ਤੁਹਾਨੂੰ ਭੇਜੇ

day-MO = ਸੋਮਵਾਰ
day-TU = ਮੰਗਲਵਾਰ
day-WE = ਬੁੱਧਵਾਰ
day-TH = ਵੀਰਵਾਰ
day-FR = ਸ਼ੁੱਕਰਵਾਰ
day-SA = ਸ਼ਨੀਵਾਰ
day-SU = ਐਤਵਾਰ

need-parenting = ਮਾਪਿਆਂ ਲਈ ਮਦਦ
need-play_learning = ਖੇਡ ਅਤੇ ਸ਼ੁਰੂਆਤੀ ਸਿੱਖਿਆ
need-infant_feeding = ਨਿਆਣਿਆਂ ਨੂੰ ਦੁੱਧ ਪਿਲਾਉਣਾ
need-perinatal_mental_health = ਗਰਭ ਦੌਰਾਨ ਅਤੇ ਜਨਮ ਤੋਂ ਬਾਅਦ ਮਾਨਸਿਕ ਸਿਹਤ
need-wellbeing = ਭਾਵਨਾਤਮਕ ਅਤੇ ਮਾਨਸਿਕ ਸਿਹਤ
need-send = ਵਿਸ਼ੇਸ਼ ਵਿੱਦਿਅਕ ਲੋੜਾਂ ਅਤੇ ਅਪਾਹਜਤਾ
need-school = ਸਕੂਲ ਵਿੱਚ ਹਾਜ਼ਰੀ ਅਤੇ ਪੜ੍ਹਾਈ
need-youth = ਨੌਜਵਾਨਾਂ ਲਈ ਗਤੀਵਿਧੀਆਂ
need-substance_use = ਨਸ਼ੇ ਅਤੇ ਸ਼ਰਾਬ
need-relationships = ਸਿਹਤਮੰਦ ਰਿਸ਼ਤੇ
need-domestic_abuse = ਘਰੇਲੂ ਹਿੰਸਾ ਵਿੱਚ ਮਦਦ
need-staying_safe = ਸ਼ੋਸ਼ਣ ਤੋਂ ਸੁਰੱਖਿਅਤ ਰਹਿਣਾ
need-housing = ਰਿਹਾਇਸ਼ ਬਾਰੇ ਸਲਾਹ
need-money = ਪੈਸਾ, ਕਰਜ਼ਾ ਅਤੇ ਬੈਨੀਫਿਟ
need-work = ਕੰਮ ਅਤੇ ਸਿਖਲਾਈ
