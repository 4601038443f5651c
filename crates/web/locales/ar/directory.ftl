# دليل الخدمات العام، باللغة العربية. لا تغيّر المعرّف قبل علامة = بل النص بعدها فقط.

skip-link = انتقل إلى المحتوى الرئيسي
language-nav = اختر لغتك
site-footer = خدمات من مراكز الأسرة وشركائها. لا تحتاج إلى تسجيل الدخول. نحن لا نسجّل عمليات البحث التي تقوم بها.

search-title = ابحث عن خدمات لعائلتك
search-intro = مجموعات ونصائح ودعم بالقرب منك، من مراكز الأسرة وشركائها.
field-q = عمّ تبحث؟ (اختياري)
hint-q = مثلاً: دعم الوالدين، اللعب والتعلّم، نصائح حول الديون
field-need = نوع المساعدة
need-any = أي نوع من المساعدة
field-age = عمر طفلك بالسنوات (اختياري)
hint-age = مثلاً 3. اتركه فارغاً لرؤية الخدمات لجميع الأعمار.
field-postcode = رمزك البريدي (اختياري)
hint-postcode = مثلاً NG7 5AA، أو الجزء الأول فقط NG7
field-distance = إلى أي مسافة يمكنك التنقّل؟
distance-miles = { $miles ->
    [one] في حدود ميل واحد
    [two] في حدود ميلين
    [few] في حدود { $miles } أميال
   *[other] في حدود { $miles } ميلاً
}
field-options = اعرض فقط
option-free = الخدمات المجانية
option-hub = الخدمات في مركز الأسرة
field-day = اليوم
day-any = أي يوم
field-language = اللغة المستخدمة في الخدمة
language-any = أي لغة
search-button = ابحث

results-heading = { $count ->
    [0] لم يتم العثور على خدمات
    [one] تم العثور على خدمة واحدة
    [two] تم العثور على خدمتين
    [few] تم العثور على { $count } خدمات
   *[other] تم العثور على { $count } خدمة
}
no-results = جرّب مسافة أبعد، أو نوعاً آخر من المساعدة، أو اختيارات أقل.
miles-away = على بُعد { $miles } ميل
free = مجاني
ages-range = الأعمار من { $min } إلى { $max }
ages-from = من عمر { $min } فما فوق
ages-to = حتى عمر { $max }
ages-all = جميع الأعمار
family-hub = مركز الأسرة
previous-page = الصفحة السابقة
next-page = الصفحة التالية
page-of = الصفحة { $page } من { $pages }

error-summary-title = هناك مشكلة
# Before the page title when the page shows problems (GOV.UK: "Error: ").
error-title-prefix = خطأ
error-age-not-number = أدخل عمر طفلك كرقم، مثل 3
error-age-negative = يجب أن يكون العمر 0 أو أكثر
error-age-too-high = يجب أن يكون العمر 120 أو أقل
error-postcode-malformed = أدخل رمزاً بريدياً صحيحاً، مثل NG7 5AA، أو الجزء الأول منه، مثل NG7
error-postcode-unknown = لا نعرف مكان هذا الرمز البريدي. تحقّق منه، أو جرّب الجزء الأول فقط، مثل NG7
error-distance-invalid = اختر مسافة من القائمة
error-page-invalid = هذه الصفحة غير موجودة. عد إلى الصفحة الأولى.
error-page-size-invalid = يجب أن يكون عدد النتائج في الصفحة 1 أو أكثر
error-page-size-too-large = اطلب 100 نتيجة أو أقل في الصفحة

back-to-search = العودة إلى البحث
who-heading = لمن هذه الخدمة
cost-heading = التكلفة
how-heading = كيف تنضم
when-heading = متى
where-heading = أين
contact-heading = كيف تتواصل معنا
languages-heading = اللغات المستخدمة
access-heading = الوصول والتنقّل داخل المكان
map-link = اعرض { $place } على الخريطة
phone = الهاتف
email = البريد الإلكتروني
website = الموقع الإلكتروني
time-range = من { $from } إلى { $to }
last-checked = تم التحقق من هذه المعلومات آخر مرة في { $date }.
service-closed = هذه الخدمة لا تعمل حالياً.
not-found-title = لم يتم العثور على الخدمة
not-found-body = هذه الخدمة غير موجودة في الدليل، أو أنها أُغلقت. ابحث مرة أخرى للعثور على خدمات أخرى.

access-drop_in = تعال مباشرة: لا حاجة إلى موعد
access-self_referral = تواصل مع الخدمة بنفسك
access-professional_referral = اطلب من مختص تعرفه، مثل الزائرة الصحية أو المعلّم، أن يحيلك إليها

day-MO = الاثنين
day-TU = الثلاثاء
day-WE = الأربعاء
day-TH = الخميس
day-FR = الجمعة
day-SA = السبت
day-SU = الأحد

need-parenting = دعم الوالدين
need-play_learning = اللعب والتعلّم المبكر
need-infant_feeding = تغذية الرضّع
need-perinatal_mental_health = الصحة النفسية أثناء الحمل وبعد الولادة
need-wellbeing = الصحة العاطفية والنفسية
need-send = الاحتياجات التعليمية الخاصة والإعاقات
need-school = الحضور المدرسي والتعلّم
need-youth = أنشطة الشباب
need-substance_use = المخدرات والكحول
need-relationships = العلاقات الصحية
need-domestic_abuse = دعم ضحايا العنف الأسري
need-staying_safe = الحماية من الاستغلال
need-housing = نصائح حول السكن
need-money = المال والديون والإعانات
need-work = العمل والتدريب
