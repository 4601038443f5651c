# ڈائریکٹری کے علاوہ خاندان کے صفحات، اردو میں۔ ہر زبان میں وہی شناخت۔

footer-privacy = رازداری
footer-accessibility = رسائی
footer-cookies = کوکیز
footer-links = مدد کے لنکس

feedback-title = ہمیں اس مدد کے بارے میں بتائیں جو آپ کو ملی
feedback-intro = آپ کے جوابات اس ٹیم تک جاتے ہیں جس نے آپ کے خاندان کی مدد کی۔ یہ ہمیں دوسرے خاندانوں کے لیے مدد کو بہتر بنانے میں مدد دیتے ہیں۔
feedback-rating = آپ کے خاندان کو ملنے والی مدد کیسی تھی؟
rating-5 = بہت اچھی
rating-4 = اچھی
rating-3 = ٹھیک
rating-2 = زیادہ اچھی نہیں
rating-1 = بری
feedback-what-changed = آپ کے خاندان کے لیے کیا بدلا ہے؟
feedback-what-changed-hint = اپنے الفاظ میں بتائیں۔ اگر زیادہ کچھ نہیں بدلا تو بھی کوئی بات نہیں۔
feedback-anything-else = کیا آپ ہمیں کچھ اور بتانا چاہتے ہیں؟ (اختیاری)
feedback-send = بھیجیں
feedback-error-rating = منتخب کریں کہ آپ کے خاندان کے لیے مدد کیسی تھی
feedback-error-what-changed = اپنے الفاظ میں بتائیں کہ آپ کے خاندان کے لیے کیا بدلا ہے
feedback-error-too-long = یہ جواب بہت لمبا ہے: اسے 5000 حروف یا اس سے کم کریں
feedback-thanks-title = شکریہ
feedback-thanks = ہمیں آپ کے جوابات مل گئے ہیں۔ یہ ہمیں دوسرے خاندانوں کے لیے مدد کو بہتر بنانے میں مدد دیتے ہیں۔
feedback-refused-title = یہ لنک استعمال نہیں کیا جا سکتا
feedback-used = آپ ہمیں پہلے ہی اپنی ملنے والی مدد کے بارے میں بتا چکے ہیں۔ شکریہ۔ ہر لنک صرف ایک بار استعمال ہو سکتا ہے۔
feedback-expired = یہ لنک اب کام نہیں کرتا۔ اگر آپ اب بھی ہمیں ملنے والی مدد کے بارے میں بتانا چاہتے ہیں تو اپنے کارکن سے نیا لنک مانگیں۔

page-privacy = رازداری کا نوٹس
page-accessibility = رسائی کا بیان
page-cookies = کوکیز
contact-fallback = اپنے خاندان کے ساتھ کام کرنے والے کارکن
error-prefix = خرابی
# مدد کے دوران سروے (ADR 0037): بڑوں کا ورژن اور بچوں کا ورژن۔
survey-title-family = مدد کے بارے میں چند سوالات
survey-intro-family = صرف چند سوالات ہیں۔ آپ کے جوابات اس ٹیم کو جاتے ہیں جو آپ کے خاندان کی مدد کر رہی ہے، اور ہمیں مدد کو بہتر بنانے میں مدد دیتے ہیں۔
survey-title-child = ہمیں بتائیں کہ آپ کیسے ہیں
survey-intro-child = صرف چند سوالات ہیں۔ کوئی جواب صحیح یا غلط نہیں ہے۔
survey-error-choose = ایک جواب منتخب کریں
survey-error-too-long = یہ جواب بہت لمبا ہے: اسے 2,000 حروف یا اس سے کم رکھیں
survey-family-listened = کیا آپ کا ورکر سنتا ہے کہ آپ کے خاندان کو کیا چاہیے؟
survey-family-clear = کیا آپ جانتے ہیں کہ آگے کیا ہوگا؟
survey-family-better = مدد شروع ہونے کے بعد سے، کیا آپ کے خاندان کے لیے حالات بہتر ہیں، تقریباً ویسے ہی ہیں، یا بدتر ہیں؟
survey-family-comment = کیا آپ ہمیں کچھ اور بتانا چاہتے ہیں؟ (اختیاری)
survey-child-listened = کیا آپ کا ورکر آپ کی بات سنتا ہے؟
survey-child-clear = کیا آپ جانتے ہیں کہ آگے کیا ہوگا؟
survey-child-better = کیا اب آپ کے لیے حالات بہتر ہیں، تقریباً ویسے ہی ہیں، یا بدتر ہیں؟
survey-child-comment = کیا آپ کچھ اور کہنا چاہتے ہیں؟ آپ اسے خالی چھوڑ سکتے ہیں۔
survey-choice-better = بہتر
survey-choice-same = تقریباً ویسے ہی
survey-choice-worse = بدتر
survey-choice-yes = ہاں
survey-choice-a-bit = تھوڑا سا
survey-choice-no = نہیں
