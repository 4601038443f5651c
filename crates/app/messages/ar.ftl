# رسائل Hearth باللغة العربية.
feedback-link-subject = كيف كانت المساعدة التي حصلت عليها عائلتك؟
feedback-link-body = انتهت المساعدة المقدمة لعائلتك. يرجى إخبارنا كيف كانت وما الذي تغير بالنسبة لكم. يستغرق ذلك بضع دقائق ولا تحتاج إلى حساب. يعمل الرابط مرة واحدة حتى { $expires }.
password-reset-subject = اختر كلمة مرور جديدة لـ Hearth
password-reset-body = مرحبًا { $name }. أنشأ المسؤول رابطًا لك لاختيار كلمة مرور جديدة. يعمل مرة واحدة حتى { $expires }. إذا لم تطلبه، فأخبر المسؤول.
taf-invitation-subject = لقد انضممت إلى فريق حول الأسرة
taf-invitation-body = مرحبًا { $name }. تمت إضافتك إلى فريق حول أسرة (Team Around the Family). سجّل الدخول لرؤية خطة الأسرة وما هو مطلوب منك.
request-outcome-subject = قرار بشأن طلب الدعم الخاص بك
request-outcome-body = مرحبًا { $name }. اتخذ فريق الاستقبال قرارًا بشأن طلب الدعم الخاص بك. سجّل الدخول لقراءة القرار.
footer = أرسل Hearth هذه الرسالة. يرجى عدم الرد عليها.
survey-link-subject = بعض الأسئلة عن المساعدة التي تحصل عليها عائلتك
survey-link-body = نود أن نعرف كيف تسير المساعدة المقدمة لعائلتك. هناك بضعة أسئلة فقط، تستغرق نحو دقيقتين، ولا تحتاج إلى حساب. يعمل الرابط مرة واحدة حتى { $expires }.
family-page-link-subject = رابطك إلى صفحة عائلتك
family-page-link-body = استخدم هذا الرابط لترى خطة عائلتك، ومن يساعدك وكيف تتواصل معهم، ولترسل رسالة إلى المهني المسؤول عنك. يعمل الرابط مرة واحدة حتى { $expires }. إذا لم تكن تتوقعه، يمكنك تجاهل هذه الرسالة.
family-message-subject = لديك رسالة جديدة عن المساعدة المقدمة لعائلتك
family-message-body = هناك رسالة جديدة لك في Hearth. افتح صفحتك لقراءتها.
training-reminder-subject = ينتهي تدريبك قريبًا: { $course }
training-reminder-body = مرحبًا { $name }. ينتهي تدريبك على { $course } في { $expires }. يُرجى حجزه مرة أخرى؛ يمكن أن يساعدك { $ask }. سجّل الدخول لترى تدريبك.
training-reminder-text = تذكير من Hearth: ينتهي تدريبك على { $course } في { $expires }:
work-reminder-subject = تذكير: { $work ->
        [assessment] موعد تقييم في { $due }
        [review] موعد مراجعة فريق دعم الأسرة في { $due }
        [action] موعد إجراء مسند إليك في خطة في { $due }
       *[task] موعد مهمة مسندة إليك في { $due }
    }
work-reminder-body = مرحبًا { $name }. { $work ->
        [assessment] يحين موعد تقييم أسرة تقودها في { $due }.
        [review] يحين موعد مراجعة فريق دعم الأسرة لأسرة تقودها في { $due }.
        [action] يحين موعد إجراء مسند إليك في خطة أسرة في { $due }.
       *[task] يحين موعد مهمة مسندة إليك في { $due }.
    } سجّل الدخول لتراها.

# Text messages (ADR 0049): short, the link follows on the same text; kept within three texts.
feedback-link-text = مساعدة العائلة: أخبرنا كيف كانت المساعدة. الرابط يعمل مرة واحدة حتى { $expires }:
family-page-link-text = مساعدة العائلة: رابط صفحة عائلتك. يعمل مرة واحدة حتى { $expires }:
work-reminder-text = تذكير من Hearth: { $work ->
        [assessment] تقييم
        [review] مراجعة الفريق
        [action] إجراء في الخطة
       *[task] مهمة
    }، الموعد { $due }:
