# device-signin: Modern Standard Arabic, translated from English.
# Arguments: $provider (a provider's name), $name (who signed in),
# $host (a server's host name), $device (this TV's name), $seconds and
# $minutes (whole numbers), $detail (technical text, kept in English).
# Plural categories (CLDR ar): zero, one, two, few, many, other.
# The app writes numbers in Arabic-Indic digits itself.

window-title = تسجيل الدخول

## الأزرار

action-new-code = رمز جديد
action-back = رجوع
action-try-again = إعادة المحاولة
action-try-now = المحاولة الآن
action-sign-out = تسجيل الخروج
action-cancel = إلغاء
action-continue = متابعة
action-other-account = استخدام حساب آخر

## اختيار الخدمة

choose-title = تسجيل الدخول
choose-prompt = اختر الخدمة التي لديك حساب فيها
choose-hint = استخدم الأسهم للاختيار، ثم اضغط على OK
tile-signed-in = تم تسجيل الدخول
tile-signed-in-as = تم تسجيل الدخول باسم { $name }
tile-demo = تجريبي

## شاشة الرمز

code-title = تسجيل الدخول باستخدام { $provider }
code-getting = جارٍ الحصول على رمز تسجيل الدخول من { $provider }…
code-device = هذا التلفزيون: { $device }
code-scan = امسح الرمز بهاتفك
code-scan-hint = لا حاجة إلى الكتابة: فقط تأكد من أن الرمز على هاتفك يطابق هذا الرمز
code-or = أو
code-step-visit = انتقل إلى
code-step-enter = أدخل الرمز
code-step-approve = وافق على تسجيل الدخول من هاتفك
code-expires-in =
    { $minutes ->
        [zero] ينتهي خلال { $minutes } دقيقة
        [one] ينتهي خلال دقيقة واحدة
        [two] ينتهي خلال دقيقتين
        [few] ينتهي خلال { $minutes } دقائق
        [many] ينتهي خلال { $minutes } دقيقة
       *[other] ينتهي خلال { $minutes } دقيقة
    }
code-last-minute = بقيت أقل من دقيقة
code-phishing = لا تُدخل هذا الرمز إلا إذا كنت أمام هذه الشاشة. لن يطلبه منك { $provider } أبدًا عبر الهاتف أو البريد الإلكتروني.

## أسطر الحالة في شاشة الرمز: هادئة، ولا يلزم أي إجراء

status-waiting = في انتظار موافقتك
status-checking = جارٍ التحقق مما إذا كنت قد وافقت
status-offline =
    { $seconds ->
        [zero] لا يوجد اتصال بالخادم حاليًا. إعادة المحاولة الآن
        [one] لا يوجد اتصال بالخادم حاليًا. إعادة المحاولة خلال ثانية واحدة
        [two] لا يوجد اتصال بالخادم حاليًا. إعادة المحاولة خلال ثانيتين
        [few] لا يوجد اتصال بالخادم حاليًا. إعادة المحاولة خلال { $seconds } ثوانٍ
        [many] لا يوجد اتصال بالخادم حاليًا. إعادة المحاولة خلال { $seconds } ثانية
       *[other] لا يوجد اتصال بالخادم حاليًا. إعادة المحاولة خلال { $seconds } ثانية
    }
status-approved = تمت الموافقة. جارٍ إكمال تسجيل الدخول…
status-renewed = انتهت صلاحية الرمز السابق، لذا هذا رمز جديد
status-slow-down =
    { $seconds ->
        [zero] طلب الخادم التحقق بوتيرة أقل: الآن كل { $seconds } ثانية
        [one] طلب الخادم التحقق بوتيرة أقل: الآن كل ثانية
        [two] طلب الخادم التحقق بوتيرة أقل: الآن كل ثانيتين
        [few] طلب الخادم التحقق بوتيرة أقل: الآن كل { $seconds } ثوانٍ
        [many] طلب الخادم التحقق بوتيرة أقل: الآن كل { $seconds } ثانية
       *[other] طلب الخادم التحقق بوتيرة أقل: الآن كل { $seconds } ثانية
    }

## إشعارات فوق الرمز

notice-signed-out-here = تم تسجيل خروجك من { $provider } على هذا التلفزيون
notice-ended = انتهت جلسة تسجيل دخولك إلى { $provider }
notice-signed-out-not-confirmed = تم تسجيل الخروج على هذا التلفزيون، لكن { $provider } لم يؤكد ذلك ({ $detail })
notice-signed-out-no-revocation = تم تسجيل الخروج على هذا التلفزيون (لا يوفّر { $provider } طريقة لإنهاء الجلسة لديه)
notice-signed-out-who = تم تسجيل خروج { $name } من { $provider }
notice-signed-out = تم تسجيل الخروج من { $provider }

## النتائج

expired-title = انتهت صلاحية الرمز
expired-renew-in =
    { $seconds ->
        [zero] سيظهر رمز جديد الآن
        [one] سيظهر رمز جديد خلال ثانية واحدة
        [two] سيظهر رمز جديد خلال ثانيتين
        [few] سيظهر رمز جديد خلال { $seconds } ثوانٍ
        [many] سيظهر رمز جديد خلال { $seconds } ثانية
       *[other] سيظهر رمز جديد خلال { $seconds } ثانية
    }
expired-press-ok = اضغط على OK للحصول على رمز جديد
declined-title = تم رفض تسجيل الدخول على الجهاز الآخر
declined-nobody = لم يكن أي حساب مسجّلًا للدخول إلى { $provider }.
signed-in = تم تسجيل الدخول
signed-in-as = تم تسجيل الدخول باسم { $name }
signed-in-with = باستخدام { $provider }
signed-in-offline =
    { $seconds ->
        [zero] لا يوجد اتصال بـ { $provider } لتجديد تسجيل الدخول. إعادة المحاولة الآن
        [one] لا يوجد اتصال بـ { $provider } لتجديد تسجيل الدخول. إعادة المحاولة خلال ثانية واحدة
        [two] لا يوجد اتصال بـ { $provider } لتجديد تسجيل الدخول. إعادة المحاولة خلال ثانيتين
        [few] لا يوجد اتصال بـ { $provider } لتجديد تسجيل الدخول. إعادة المحاولة خلال { $seconds } ثوانٍ
        [many] لا يوجد اتصال بـ { $provider } لتجديد تسجيل الدخول. إعادة المحاولة خلال { $seconds } ثانية
       *[other] لا يوجد اتصال بـ { $provider } لتجديد تسجيل الدخول. إعادة المحاولة خلال { $seconds } ثانية
    }
continuing-in =
    { $seconds ->
        [zero] المتابعة الآن
        [one] المتابعة خلال ثانية واحدة
        [two] المتابعة خلال ثانيتين
        [few] المتابعة خلال { $seconds } ثوانٍ
        [many] المتابعة خلال { $seconds } ثانية
       *[other] المتابعة خلال { $seconds } ثانية
    }
restoring-welcome = مرحبًا بعودتك
restoring-welcome-who = مرحبًا بعودتك، { $name }
restoring-checking = جارٍ التحقق من تسجيل دخولك لدى { $provider }…
restoring-offline = لا يوجد اتصال بـ { $provider }. تم الاحتفاظ بتسجيل دخولك
trying-again-in =
    { $seconds ->
        [zero] إعادة المحاولة الآن
        [one] إعادة المحاولة خلال ثانية واحدة
        [two] إعادة المحاولة خلال ثانيتين
        [few] إعادة المحاولة خلال { $seconds } ثوانٍ
        [many] إعادة المحاولة خلال { $seconds } ثانية
       *[other] إعادة المحاولة خلال { $seconds } ثانية
    }
sign-out-question-who = هل تريد تسجيل خروج { $name } من { $provider }؟
sign-out-question = هل تريد تسجيل الخروج من { $provider }؟
sign-out-afterwards = سيحتاج هذا التلفزيون بعد ذلك إلى تسجيل الدخول من جديد
signing-out = جارٍ تسجيل الخروج من { $provider }…
signing-out-asking = جارٍ طلب إنهاء الجلسة من { $provider }
problem-retrying-in =
    { $seconds ->
        [zero] إعادة المحاولة تلقائيًا الآن
        [one] إعادة المحاولة تلقائيًا خلال ثانية واحدة
        [two] إعادة المحاولة تلقائيًا خلال ثانيتين
        [few] إعادة المحاولة تلقائيًا خلال { $seconds } ثوانٍ
        [many] إعادة المحاولة تلقائيًا خلال { $seconds } ثانية
       *[other] إعادة المحاولة تلقائيًا خلال { $seconds } ثانية
    }

## المشكلات: عنوان بسيط، ثم إجراء واحد

problem-declined = تم رفض تسجيل الدخول
problem-expired = انتهت صلاحية الرمز
problem-ended = انتهت جلسة تسجيل دخولك إلى { $provider }
problem-tls = تعذّر إنشاء اتصال آمن بـ { $host }
problem-timeout = الخادم { $host } لا يستجيب
problem-dns = تعذّر العثور على { $host } على الشبكة
problem-unusable = أرسل { $provider } ردًا لا يمكن لهذا التطبيق استخدامه
problem-no-tls = لا يمكن لهذا الجهاز إنشاء اتصالات آمنة
problem-unreachable = تعذّر الوصول إلى { $host }
problem-wrong-address = عنوان تسجيل الدخول الخاص بـ { $provider } غير صحيح
problem-refused-app = رفض { $provider } هذا التطبيق
problem-busy = خدمة { $provider } مشغولة حاليًا
problem-trouble = تواجه خدمة { $provider } مشكلة حاليًا
problem-refused-request = رفض { $provider } الطلب
problem-not-enabled = لم يُفعِّل { $provider } تسجيل الدخول من الأجهزة لهذا التطبيق
problem-unknown-app = لا يتعرّف { $provider } على هذا التطبيق
problem-scope = رفض { $provider } الأذونات التي يطلبها هذا التطبيق
problem-refused-sign-in = رفض { $provider } تسجيل الدخول
problem-settings = إعدادات تسجيل الدخول الخاصة بـ { $provider } غير مكتملة
problem-store = تعذّر حفظ تسجيل الدخول على هذا الجهاز

next-new-code = اضغط على OK للحصول على رمز جديد
next-sign-in-again = سجّل الدخول مرة أخرى للمتابعة
next-check-internet = تأكد من أن التلفزيون متصل بالإنترنت
next-check-clock = تأكد من صحة التاريخ والوقت على التلفزيون
next-wait = انتظر بضع دقائق، ثم أعد المحاولة
next-ask-admin = اطلب من الشخص الذي أعدّ هذا التلفزيون التحقق من إعدادات تسجيل الدخول
next-ask-admin-storage = اطلب من الشخص الذي أعدّ هذا التلفزيون التحقق من مساحة التخزين

## الأمر `login` في الطرفية

login-start = جارٍ تسجيل الدخول باستخدام { $provider }…
login-start-demo = جارٍ تسجيل الدخول باستخدام { $provider } (تجريبي)…
login-go-to = على هاتفك أو الكمبيوتر، انتقل إلى:
login-enter = وأدخل الرمز:
login-scan = أو امسح رمز QR هذا:
login-expires-waiting =
    { $minutes ->
        [zero] تنتهي صلاحية الرمز خلال { $minutes } دقيقة. في انتظار الموافقة…
        [one] تنتهي صلاحية الرمز خلال دقيقة واحدة. في انتظار الموافقة…
        [two] تنتهي صلاحية الرمز خلال دقيقتين. في انتظار الموافقة…
        [few] تنتهي صلاحية الرمز خلال { $minutes } دقائق. في انتظار الموافقة…
        [many] تنتهي صلاحية الرمز خلال { $minutes } دقيقة. في انتظار الموافقة…
       *[other] تنتهي صلاحية الرمز خلال { $minutes } دقيقة. في انتظار الموافقة…
    }
login-checking = جارٍ التحقق…
login-slow-down =
    { $seconds ->
        [zero] طلب الخادم التحقق بوتيرة أقل: الآن كل { $seconds } ثانية
        [one] طلب الخادم التحقق بوتيرة أقل: الآن كل ثانية
        [two] طلب الخادم التحقق بوتيرة أقل: الآن كل ثانيتين
        [few] طلب الخادم التحقق بوتيرة أقل: الآن كل { $seconds } ثوانٍ
        [many] طلب الخادم التحقق بوتيرة أقل: الآن كل { $seconds } ثانية
       *[other] طلب الخادم التحقق بوتيرة أقل: الآن كل { $seconds } ثانية
    }
login-offline =
    { $seconds ->
        [zero] لا يوجد اتصال ({ $detail })؛ إعادة المحاولة الآن
        [one] لا يوجد اتصال ({ $detail })؛ إعادة المحاولة خلال ثانية واحدة
        [two] لا يوجد اتصال ({ $detail })؛ إعادة المحاولة خلال ثانيتين
        [few] لا يوجد اتصال ({ $detail })؛ إعادة المحاولة خلال { $seconds } ثوانٍ
        [many] لا يوجد اتصال ({ $detail })؛ إعادة المحاولة خلال { $seconds } ثانية
       *[other] لا يوجد اتصال ({ $detail })؛ إعادة المحاولة خلال { $seconds } ثانية
    }
login-approved = تمت الموافقة؛ جارٍ التحقق من الرد…
login-signed-in = تم تسجيل الدخول باسم { $name } باستخدام { $provider }.
login-unnamed = حساب بلا اسم
login-declined = تم رفض تسجيل الدخول على الجهاز الآخر.
login-expired = انتهت صلاحية الرمز قبل الموافقة عليه. شغّل login مرة أخرى للحصول على رمز جديد.
login-interrupted = تم الإيقاف: أُلغي تسجيل الدخول.
