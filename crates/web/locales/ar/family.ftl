# صفحات العائلة خارج دليل الخدمات، بالعربية. المعرّفات نفسها في كل لغة.

footer-privacy = الخصوصية
footer-accessibility = إمكانية الوصول
footer-cookies = ملفات تعريف الارتباط
footer-links = روابط المساعدة

feedback-title = أخبرنا عن المساعدة التي تلقيتها
feedback-intro = تصل إجاباتك إلى الفريق الذي ساعد عائلتك. إنها تساعدنا على تحسين المساعدة للعائلات الأخرى.
feedback-rating = كيف كانت المساعدة التي تلقتها عائلتك؟
rating-5 = جيدة جدًا
rating-4 = جيدة
rating-3 = مقبولة
rating-2 = ليست جيدة جدًا
rating-1 = سيئة
feedback-what-changed = ما الذي تغيّر لعائلتك؟
feedback-what-changed-hint = قل ذلك بكلماتك الخاصة. لا بأس إن لم يتغيّر الكثير.
feedback-anything-else = هل هناك أي شيء آخر تريد أن تخبرنا به؟ (اختياري)
feedback-send = إرسال
feedback-error-rating = اختر كيف كانت المساعدة لعائلتك
feedback-error-what-changed = أخبرنا بكلماتك الخاصة ما الذي تغيّر لعائلتك
feedback-error-too-long = هذه الإجابة طويلة جدًا: اجعلها 5000 حرف أو أقل
feedback-thanks-title = شكرًا لك
feedback-thanks = وصلتنا إجاباتك. إنها تساعدنا على تحسين المساعدة للعائلات الأخرى.
feedback-refused-title = لا يمكن استخدام هذا الرابط
feedback-used = لقد أخبرتنا بالفعل عن المساعدة التي تلقيتها. شكرًا لك. يمكن استخدام كل رابط مرة واحدة فقط.
feedback-expired = هذا الرابط لم يعد يعمل. إذا كنت لا تزال ترغب في إخبارنا عن المساعدة التي تلقيتها، فاطلب رابطًا جديدًا من الموظف المسؤول عنك.

page-privacy = إشعار الخصوصية
page-accessibility = بيان إمكانية الوصول
page-cookies = ملفات تعريف الارتباط
contact-fallback = الموظف الذي يعمل مع عائلتك
error-prefix = خطأ
# الاستبيانات أثناء المساعدة (ADR 0037): نسخة للكبار ونسخة للأطفال.
survey-title-family = بعض الأسئلة عن المساعدة
survey-intro-family = هناك بضعة أسئلة فقط. تذهب إجاباتك إلى الفريق الذي يساعد عائلتك، وتساعدنا على تحسين المساعدة.
survey-title-child = أخبرنا كيف حالك
survey-intro-child = هناك بضعة أسئلة فقط. لا توجد إجابات صحيحة أو خاطئة.
survey-error-choose = اختر إجابة
survey-error-too-long = هذه الإجابة طويلة جدًا: اجعلها 2000 حرف أو أقل
survey-family-listened = هل يستمع العامل المسؤول عنكم إلى ما تحتاجه عائلتك؟
survey-family-clear = هل تعرف ما الذي سيحدث بعد ذلك؟
survey-family-better = منذ بدء المساعدة، هل أصبحت الأمور أفضل لعائلتك، أم بقيت تقريبًا كما هي، أم أسوأ؟
survey-family-comment = هل هناك أي شيء آخر تريد أن تخبرنا به؟ (اختياري)
survey-child-listened = هل يستمع إليك العامل المسؤول عنك؟
survey-child-clear = هل تعرف ماذا سيحدث بعد ذلك؟
survey-child-better = هل الأمور أفضل لك الآن، أم تقريبًا كما هي، أم أسوأ؟
survey-child-comment = هل تريد أن تقول أي شيء آخر؟ يمكنك ترك هذا فارغًا.
survey-choice-better = أفضل
survey-choice-same = تقريبًا كما هي
survey-choice-worse = أسوأ
survey-choice-yes = نعم
survey-choice-a-bit = قليلًا
survey-choice-no = لا

## Refusals on the family's pages.
refusal-wait-title = يُرجى الانتظار بضع دقائق
refusal-wait-text = لقد أرسلت الكثير في وقت قصير، لذلك توقفنا قليلًا. لم نستلم ما أرسلته الآن.
refusal-wait-next = انتظر بضع دقائق، ثم ارجع وحاول مرة أخرى. كل ما أرسلته من قبل محفوظ.
refusal-form-title = لم تُرسَل إجاباتك بعد
refusal-form-text = لم نتمكن من التحقق من أن هذا النموذج جاء من هذا الموقع. قد يحدث هذا إذا بقيت الصفحة مفتوحة وقتًا طويلًا أو كانت مفتوحة في نافذة أخرى. لم يُرسَل شيء.
refusal-form-next = ارجع إلى الصفحة وأرسل إجاباتك مرة أخرى.
refusal-form-typed = ما كتبته، لتنسخه
refusal-busy-title = الخدمة مشغولة جدًا
refusal-busy-text = لم نستلم ما أرسلته الآن. انتظر بضع ثوانٍ، ثم حاول مرة أخرى. كل ما أرسلته من قبل محفوظ.
refusal-not-found-title = الصفحة غير موجودة
refusal-not-found-text = قد يكون الرابط خاطئًا أو لم يعد يعمل. تحقق من عنوان الموقع، أو ابدأ من جديد من الصفحة أدناه.
refusal-sent-title = عذرًا، هناك مشكلة فيما أُرسل
refusal-sent-text = لم نتمكن من استخدام ما أرسلته، ولم يُحفَظ شيء. ارجع وحاول مرة أخرى.
refusal-problem-title = عذرًا، هناك مشكلة في الخدمة
refusal-problem-text = حاول مرة أخرى لاحقًا. كل ما أرسلته من قبل محفوظ. إذا تكرر ذلك، أخبر الأشخاص الذين يساعدون عائلتك وأعطهم الرقم المرجعي أدناه.
refusal-back = ارجع إلى الصفحة
refusal-reference = الرقم المرجعي:
