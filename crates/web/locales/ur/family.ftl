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
