# خدمات کی عوامی ڈائرکٹری، اردو میں۔ علامت = سے پہلے شناخت کو تبدیل نہ کریں، صرف اس کے بعد کا متن۔

skip-link = مرکزی مواد پر جائیں
language-nav = اپنی زبان منتخب کریں
site-footer = فیملی ہبز اور ان کے شراکت داروں کی خدمات۔ آپ کو سائن ان کرنے کی ضرورت نہیں۔ ہم آپ کی تلاش محفوظ نہیں کرتے۔

search-title = اپنے خاندان کے لیے خدمات تلاش کریں
search-intro = آپ کے قریب گروپس، مشورہ اور مدد، فیملی ہبز اور ان کے شراکت داروں کی طرف سے۔
field-q = آپ کیا تلاش کر رہے ہیں؟ (اختیاری)
hint-q = مثال کے طور پر: والدین کی مدد، کھیل کود، قرض کے بارے میں مشورہ
field-need = مدد کی قسم
need-any = کسی بھی قسم کی مدد
field-age = آپ کے بچے کی عمر، سالوں میں (اختیاری)
hint-age = مثال کے طور پر 3۔ ہر عمر کی خدمات دیکھنے کے لیے خالی چھوڑ دیں۔
field-postcode = آپ کا پوسٹ کوڈ (اختیاری)
hint-postcode = مثال کے طور پر NG7 5AA، یا صرف پہلا حصہ NG7
field-distance = آپ کتنی دور جا سکتے ہیں؟
distance-miles = { $miles ->
    [one] 1 میل کے اندر
   *[other] { $miles } میل کے اندر
}
field-options = صرف یہ دکھائیں
option-free = مفت خدمات
option-hub = فیملی ہب میں خدمات
field-day = دن
day-any = کوئی بھی دن
field-language = خدمت میں بولی جانے والی زبان
language-any = کوئی بھی زبان
search-button = تلاش کریں

results-heading = { $count ->
    [0] کوئی خدمت نہیں ملی
    [one] 1 خدمت ملی
   *[other] { $count } خدمات ملیں
}
no-results = زیادہ فاصلہ، مدد کی کوئی اور قسم یا کم انتخاب آزمائیں۔
miles-away = { $miles } میل دور
free = مفت
ages-range = عمر { $min } سے { $max } سال
ages-from = عمر { $min } سال اور اس سے زیادہ
ages-to = عمر { $max } سال تک
ages-all = ہر عمر کے لیے
family-hub = فیملی ہب
previous-page = پچھلا صفحہ
next-page = اگلا صفحہ
page-of = صفحہ { $page } از { $pages }

error-summary-title = ایک مسئلہ ہے
# Before the page title when the page shows problems (GOV.UK: "Error: ").
error-title-prefix = خرابی
error-age-not-number = اپنے بچے کی عمر نمبر میں لکھیں، جیسے 3
error-age-negative = عمر 0 یا اس سے زیادہ ہونی چاہیے
error-age-too-high = عمر 120 یا اس سے کم ہونی چاہیے
error-postcode-malformed = درست پوسٹ کوڈ لکھیں، جیسے NG7 5AA، یا اس کا پہلا حصہ، جیسے NG7
error-postcode-unknown = ہمیں معلوم نہیں کہ یہ پوسٹ کوڈ کہاں ہے۔ اسے چیک کریں، یا صرف پہلا حصہ آزمائیں، جیسے NG7
error-distance-invalid = فہرست میں سے فاصلہ منتخب کریں
error-page-invalid = یہ صفحہ موجود نہیں۔ پہلے صفحے پر واپس جائیں۔
error-page-size-invalid = ہر صفحے پر نتائج کی تعداد 1 یا اس سے زیادہ ہونی چاہیے
error-page-size-too-large = ایک صفحے پر 100 یا اس سے کم نتائج مانگیں

back-to-search = تلاش پر واپس جائیں
who-heading = یہ کس کے لیے ہے
cost-heading = قیمت
how-heading = کیسے شامل ہوں
when-heading = کب
where-heading = کہاں
contact-heading = رابطہ کیسے کریں
languages-heading = بولی جانے والی زبانیں
access-heading = اندر آنا اور گھومنا پھرنا
map-link = { $place } کو نقشے پر دکھائیں
phone = فون
email = ای میل
website = ویب سائٹ
time-range = { $from } سے { $to } تک
last-checked = یہ معلومات آخری بار { $date } کو چیک کی گئیں۔
service-closed = یہ خدمت اس وقت نہیں چل رہی۔
not-found-title = خدمت نہیں ملی
not-found-body = یہ خدمت ڈائرکٹری میں نہیں ہے، یا بند ہو چکی ہے۔ دوسری خدمات تلاش کرنے کے لیے دوبارہ تلاش کریں۔

access-drop_in = بس آ جائیں: وقت لینے کی ضرورت نہیں
access-self_referral = خدمت سے خود رابطہ کریں
access-professional_referral = کسی جاننے والے پیشہ ور، جیسے ہیلتھ وزیٹر یا استاد، سے کہیں کہ آپ کو بھیجے

day-MO = پیر
day-TU = منگل
day-WE = بدھ
day-TH = جمعرات
day-FR = جمعہ
day-SA = ہفتہ
day-SU = اتوار

need-parenting = والدین کی مدد
need-play_learning = کھیل اور ابتدائی تعلیم
need-infant_feeding = شیر خوار بچوں کو دودھ پلانا
need-perinatal_mental_health = حمل کے دوران اور پیدائش کے بعد ذہنی صحت
need-wellbeing = جذباتی اور ذہنی صحت
need-send = خصوصی تعلیمی ضروریات اور معذوری
need-school = اسکول میں حاضری اور تعلیم
need-youth = نوجوانوں کی سرگرمیاں
need-substance_use = منشیات اور شراب
need-relationships = صحت مند تعلقات
need-domestic_abuse = گھریلو تشدد میں مدد
need-staying_safe = استحصال سے محفوظ رہنا
need-housing = رہائش کے بارے میں مشورہ
need-money = پیسہ، قرض اور بینیفٹس
need-work = کام اور تربیت
