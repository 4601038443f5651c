# ਡਾਇਰੈਕਟਰੀ ਤੋਂ ਇਲਾਵਾ ਪਰਿਵਾਰ ਦੇ ਪੰਨੇ, ਪੰਜਾਬੀ ਵਿੱਚ। ਹਰ ਭਾਸ਼ਾ ਵਿੱਚ ਉਹੀ ਪਛਾਣ।

footer-privacy = ਪਰਦੇਦਾਰੀ
footer-accessibility = ਪਹੁੰਚਯੋਗਤਾ
footer-cookies = ਕੂਕੀਜ਼
footer-links = ਸਹਾਇਤਾ ਲਿੰਕ

feedback-title = ਸਾਨੂੰ ਉਸ ਮਦਦ ਬਾਰੇ ਦੱਸੋ ਜੋ ਤੁਹਾਨੂੰ ਮਿਲੀ
feedback-intro = ਤੁਹਾਡੇ ਜਵਾਬ ਉਸ ਟੀਮ ਕੋਲ ਜਾਂਦੇ ਹਨ ਜਿਸ ਨੇ ਤੁਹਾਡੇ ਪਰਿਵਾਰ ਦੀ ਮਦਦ ਕੀਤੀ। ਇਹ ਸਾਨੂੰ ਹੋਰ ਪਰਿਵਾਰਾਂ ਲਈ ਮਦਦ ਬਿਹਤਰ ਬਣਾਉਣ ਵਿੱਚ ਸਹਾਇਤਾ ਕਰਦੇ ਹਨ।
feedback-rating = ਤੁਹਾਡੇ ਪਰਿਵਾਰ ਨੂੰ ਮਿਲੀ ਮਦਦ ਕਿਵੇਂ ਦੀ ਸੀ?
rating-5 = ਬਹੁਤ ਵਧੀਆ
rating-4 = ਵਧੀਆ
rating-3 = ਠੀਕ
rating-2 = ਬਹੁਤੀ ਵਧੀਆ ਨਹੀਂ
rating-1 = ਮਾੜੀ
feedback-what-changed = ਤੁਹਾਡੇ ਪਰਿਵਾਰ ਲਈ ਕੀ ਬਦਲਿਆ ਹੈ?
feedback-what-changed-hint = ਆਪਣੇ ਸ਼ਬਦਾਂ ਵਿੱਚ ਦੱਸੋ। ਜੇ ਬਹੁਤਾ ਕੁਝ ਨਹੀਂ ਬਦਲਿਆ ਤਾਂ ਵੀ ਕੋਈ ਗੱਲ ਨਹੀਂ।
feedback-anything-else = ਕੀ ਤੁਸੀਂ ਸਾਨੂੰ ਹੋਰ ਕੁਝ ਦੱਸਣਾ ਚਾਹੁੰਦੇ ਹੋ? (ਚੋਣਵਾਂ)
feedback-send = ਭੇਜੋ
feedback-error-rating = ਚੁਣੋ ਕਿ ਤੁਹਾਡੇ ਪਰਿਵਾਰ ਲਈ ਮਦਦ ਕਿਵੇਂ ਦੀ ਸੀ
feedback-error-what-changed = ਆਪਣੇ ਸ਼ਬਦਾਂ ਵਿੱਚ ਦੱਸੋ ਕਿ ਤੁਹਾਡੇ ਪਰਿਵਾਰ ਲਈ ਕੀ ਬਦਲਿਆ ਹੈ
feedback-error-too-long = ਇਹ ਜਵਾਬ ਬਹੁਤ ਲੰਮਾ ਹੈ: ਇਸ ਨੂੰ 5000 ਅੱਖਰਾਂ ਜਾਂ ਘੱਟ ਕਰੋ
feedback-thanks-title = ਧੰਨਵਾਦ
feedback-thanks = ਸਾਨੂੰ ਤੁਹਾਡੇ ਜਵਾਬ ਮਿਲ ਗਏ ਹਨ। ਇਹ ਸਾਨੂੰ ਹੋਰ ਪਰਿਵਾਰਾਂ ਲਈ ਮਦਦ ਬਿਹਤਰ ਬਣਾਉਣ ਵਿੱਚ ਸਹਾਇਤਾ ਕਰਦੇ ਹਨ।
feedback-refused-title = ਇਹ ਲਿੰਕ ਵਰਤਿਆ ਨਹੀਂ ਜਾ ਸਕਦਾ
feedback-used = ਤੁਸੀਂ ਸਾਨੂੰ ਪਹਿਲਾਂ ਹੀ ਮਿਲੀ ਮਦਦ ਬਾਰੇ ਦੱਸ ਚੁੱਕੇ ਹੋ। ਧੰਨਵਾਦ। ਹਰ ਲਿੰਕ ਸਿਰਫ਼ ਇੱਕ ਵਾਰ ਵਰਤਿਆ ਜਾ ਸਕਦਾ ਹੈ।
feedback-expired = ਇਹ ਲਿੰਕ ਹੁਣ ਕੰਮ ਨਹੀਂ ਕਰਦਾ। ਜੇ ਤੁਸੀਂ ਅਜੇ ਵੀ ਸਾਨੂੰ ਮਿਲੀ ਮਦਦ ਬਾਰੇ ਦੱਸਣਾ ਚਾਹੁੰਦੇ ਹੋ, ਤਾਂ ਆਪਣੇ ਕਰਮਚਾਰੀ ਤੋਂ ਨਵਾਂ ਲਿੰਕ ਮੰਗੋ।

page-privacy = ਪਰਦੇਦਾਰੀ ਨੋਟਿਸ
page-accessibility = ਪਹੁੰਚਯੋਗਤਾ ਬਿਆਨ
page-cookies = ਕੂਕੀਜ਼
contact-fallback = ਤੁਹਾਡੇ ਪਰਿਵਾਰ ਨਾਲ ਕੰਮ ਕਰਨ ਵਾਲੇ ਕਰਮਚਾਰੀ
error-prefix = ਗ਼ਲਤੀ
# ਮਦਦ ਦੌਰਾਨ ਸਰਵੇਖਣ (ADR 0037): ਵੱਡਿਆਂ ਦਾ ਰੂਪ ਅਤੇ ਬੱਚਿਆਂ ਦਾ ਰੂਪ।
survey-title-family = ਮਦਦ ਬਾਰੇ ਕੁਝ ਸਵਾਲ
survey-intro-family = ਸਿਰਫ਼ ਕੁਝ ਸਵਾਲ ਹਨ। ਤੁਹਾਡੇ ਜਵਾਬ ਉਸ ਟੀਮ ਕੋਲ ਜਾਂਦੇ ਹਨ ਜੋ ਤੁਹਾਡੇ ਪਰਿਵਾਰ ਦੀ ਮਦਦ ਕਰ ਰਹੀ ਹੈ, ਅਤੇ ਮਦਦ ਨੂੰ ਬਿਹਤਰ ਬਣਾਉਣ ਵਿੱਚ ਸਾਡੀ ਮਦਦ ਕਰਦੇ ਹਨ।
survey-title-child = ਸਾਨੂੰ ਦੱਸੋ ਕਿ ਤੁਸੀਂ ਕਿਵੇਂ ਹੋ
survey-intro-child = ਸਿਰਫ਼ ਕੁਝ ਸਵਾਲ ਹਨ। ਕੋਈ ਜਵਾਬ ਸਹੀ ਜਾਂ ਗਲਤ ਨਹੀਂ ਹੈ।
survey-error-choose = ਇੱਕ ਜਵਾਬ ਚੁਣੋ
survey-error-too-long = ਇਹ ਜਵਾਬ ਬਹੁਤ ਲੰਮਾ ਹੈ: ਇਸਨੂੰ 2,000 ਅੱਖਰਾਂ ਜਾਂ ਘੱਟ ਰੱਖੋ
survey-family-listened = ਕੀ ਤੁਹਾਡਾ ਵਰਕਰ ਸੁਣਦਾ ਹੈ ਕਿ ਤੁਹਾਡੇ ਪਰਿਵਾਰ ਨੂੰ ਕੀ ਚਾਹੀਦਾ ਹੈ?
survey-family-clear = ਕੀ ਤੁਸੀਂ ਜਾਣਦੇ ਹੋ ਕਿ ਅੱਗੇ ਕੀ ਹੋਵੇਗਾ?
survey-family-better = ਮਦਦ ਸ਼ੁਰੂ ਹੋਣ ਤੋਂ ਬਾਅਦ, ਕੀ ਤੁਹਾਡੇ ਪਰਿਵਾਰ ਲਈ ਹਾਲਾਤ ਬਿਹਤਰ ਹਨ, ਲਗਭਗ ਉਹੀ ਹਨ, ਜਾਂ ਮਾੜੇ ਹਨ?
survey-family-comment = ਕੀ ਤੁਸੀਂ ਸਾਨੂੰ ਕੁਝ ਹੋਰ ਦੱਸਣਾ ਚਾਹੁੰਦੇ ਹੋ? (ਚੋਣਵਾਂ)
survey-child-listened = ਕੀ ਤੁਹਾਡਾ ਵਰਕਰ ਤੁਹਾਡੀ ਗੱਲ ਸੁਣਦਾ ਹੈ?
survey-child-clear = ਕੀ ਤੁਸੀਂ ਜਾਣਦੇ ਹੋ ਕਿ ਅੱਗੇ ਕੀ ਹੋਵੇਗਾ?
survey-child-better = ਕੀ ਹੁਣ ਤੁਹਾਡੇ ਲਈ ਹਾਲਾਤ ਬਿਹਤਰ ਹਨ, ਲਗਭਗ ਉਹੀ ਹਨ, ਜਾਂ ਮਾੜੇ ਹਨ?
survey-child-comment = ਕੀ ਤੁਸੀਂ ਕੁਝ ਹੋਰ ਕਹਿਣਾ ਚਾਹੁੰਦੇ ਹੋ? ਤੁਸੀਂ ਇਸਨੂੰ ਖਾਲੀ ਛੱਡ ਸਕਦੇ ਹੋ।
survey-choice-better = ਬਿਹਤਰ
survey-choice-same = ਲਗਭਗ ਉਹੀ
survey-choice-worse = ਮਾੜੇ
survey-choice-yes = ਹਾਂ
survey-choice-a-bit = ਥੋੜ੍ਹਾ
survey-choice-no = ਨਹੀਂ
