# device-signin: español (traducido de la fuente en inglés; tuteo, español neutro).
# Argumentos: $provider (nombre de un proveedor), $name (quién inició sesión),
# $host (nombre de host de un servidor), $device (nombre de esta TV), $seconds y
# $minutes (números enteros), $detail (texto técnico, se deja en inglés).

window-title = Iniciar sesión

## Botones

action-new-code = Nuevo código
action-back = Volver
action-try-again = Reintentar
action-try-now = Intentar ahora
action-sign-out = Cerrar sesión
action-cancel = Cancelar
action-continue = Continuar
action-other-account = Usar otra cuenta

## Elección del proveedor

choose-title = Iniciar sesión
choose-prompt = Elige dónde tienes tu cuenta
choose-hint = Usa las flechas para elegir y presiona OK
tile-signed-in = Sesión iniciada
tile-signed-in-as = Sesión iniciada como { $name }
tile-demo = Demo

## La pantalla del código

code-title = Iniciar sesión con { $provider }
code-getting = Obteniendo un código de inicio de sesión de { $provider }…
code-device = Esta TV: { $device }
code-scan = Escanea con tu teléfono
code-scan-hint = No tienes que escribir nada: solo verifica que el código de tu teléfono coincida con este
code-or = o
code-step-visit = Ve a
code-step-enter = Escribe el código
code-step-approve = Aprueba el inicio de sesión en tu teléfono
code-expires-in =
    { $minutes ->
        [one] Caduca en 1 minuto
       *[other] Caduca en { $minutes } minutos
    }
code-last-minute = Queda menos de un minuto
code-phishing = Escribe este código solo si estás frente a esta pantalla. { $provider } nunca te lo pedirá por teléfono ni por correo electrónico.

## Líneas de estado en la pantalla del código: tranquilas, no hay nada que hacer

status-waiting = Esperando tu aprobación
status-checking = Verificando si ya lo aprobaste
status-offline =
    { $seconds ->
        [one] Sin conexión con el servidor por ahora. Nuevo intento en 1 segundo
       *[other] Sin conexión con el servidor por ahora. Nuevo intento en { $seconds } segundos
    }
status-approved = Aprobado. Finalizando el inicio de sesión…
status-renewed = El código anterior caducó; este es uno nuevo
status-slow-down =
    { $seconds ->
        [one] El servidor pidió que se consulte con menos frecuencia: ahora cada segundo
       *[other] El servidor pidió que se consulte con menos frecuencia: ahora cada { $seconds } segundos
    }

## Avisos sobre el código

notice-signed-out-here = Se cerró tu sesión de { $provider } en esta TV
notice-ended = Tu sesión de { $provider } terminó
notice-signed-out-not-confirmed = Se cerró la sesión en esta TV, pero { $provider } no lo confirmó ({ $detail })
notice-signed-out-no-revocation = Se cerró la sesión en esta TV ({ $provider } no ofrece ninguna forma de cerrarla allí)
notice-signed-out-who = Se cerró la sesión de { $name } en { $provider }
notice-signed-out = Se cerró la sesión de { $provider }

## Resultados

expired-title = El código caducó
expired-renew-in =
    { $seconds ->
        [one] Nuevo código en 1 segundo
       *[other] Nuevo código en { $seconds } segundos
    }
expired-press-ok = Presiona OK para obtener un código nuevo
declined-title = Se rechazó el inicio de sesión en el otro dispositivo
declined-nobody = No había ninguna sesión iniciada en { $provider }.
signed-in = Sesión iniciada
signed-in-as = Sesión iniciada como { $name }
signed-in-with = con { $provider }
signed-in-offline =
    { $seconds ->
        [one] Sin conexión con { $provider } para renovar la sesión. Nuevo intento en 1 segundo
       *[other] Sin conexión con { $provider } para renovar la sesión. Nuevo intento en { $seconds } segundos
    }
continuing-in =
    { $seconds ->
        [one] Continuando en 1 segundo
       *[other] Continuando en { $seconds } segundos
    }
restoring-welcome = Hola de nuevo
restoring-welcome-who = Hola de nuevo, { $name }
restoring-checking = Verificando tu sesión de { $provider }…
restoring-offline = Sin conexión con { $provider }. Tu sesión se mantiene
trying-again-in =
    { $seconds ->
        [one] Nuevo intento en 1 segundo
       *[other] Nuevo intento en { $seconds } segundos
    }
sign-out-question-who = ¿Cerrar la sesión de { $name } en { $provider }?
sign-out-question = ¿Cerrar sesión en { $provider }?
sign-out-afterwards = Después tendrás que volver a iniciar sesión en esta TV
signing-out = Cerrando sesión en { $provider }…
signing-out-asking = Pidiendo a { $provider } que cierre la sesión
problem-retrying-in =
    { $seconds ->
        [one] Se volverá a intentar automáticamente en 1 segundo
       *[other] Se volverá a intentar automáticamente en { $seconds } segundos
    }

## Problemas: un título sencillo y luego una sola cosa que hacer

problem-declined = Inicio de sesión rechazado
problem-expired = El código caducó
problem-ended = Tu sesión de { $provider } terminó
problem-tls = No se puede establecer una conexión segura con { $host }
problem-timeout = { $host } no responde
problem-dns = No se encuentra { $host } en la red
problem-unusable = { $provider } envió una respuesta que esta app no puede usar
problem-no-tls = Este dispositivo no puede establecer conexiones seguras
problem-unreachable = No se puede conectar con { $host }
problem-wrong-address = La dirección de inicio de sesión de { $provider } es incorrecta
problem-refused-app = { $provider } rechazó esta app
problem-busy = { $provider } tiene mucha demanda en este momento
problem-trouble = { $provider } tiene problemas en este momento
problem-refused-request = { $provider } rechazó la solicitud
problem-not-enabled = Esta app no está habilitada en { $provider } para iniciar sesión en dispositivos
problem-unknown-app = { $provider } no reconoce esta app
problem-scope = { $provider } rechazó los permisos que solicita esta app
problem-refused-sign-in = { $provider } rechazó el inicio de sesión
problem-settings = La configuración de inicio de sesión de { $provider } está incompleta
problem-store = No se puede guardar la sesión en este dispositivo

next-new-code = Presiona OK para obtener un código nuevo
next-sign-in-again = Vuelve a iniciar sesión para continuar
next-check-internet = Verifica que la TV esté conectada a internet
next-check-clock = Verifica que la fecha y la hora de la TV sean correctas
next-wait = Espera unos minutos y vuelve a intentarlo
next-ask-admin = Pide a quien configuró esta TV que revise su configuración de inicio de sesión
next-ask-admin-storage = Pide a quien configuró esta TV que revise su almacenamiento

## `login` simple en una terminal

login-start = Iniciando sesión con { $provider }…
login-start-demo = Iniciando sesión con { $provider } (demo)…
login-go-to = En tu teléfono o computadora, ve a:
login-enter = y escribe el código:
login-scan = O escanea este código QR:
login-expires-waiting =
    { $minutes ->
        [one] El código caduca en 1 minuto. Esperando la aprobación…
       *[other] El código caduca en { $minutes } minutos. Esperando la aprobación…
    }
login-checking = verificando…
login-slow-down =
    { $seconds ->
        [one] el servidor pidió que se consulte con menos frecuencia: ahora cada segundo
       *[other] el servidor pidió que se consulte con menos frecuencia: ahora cada { $seconds } segundos
    }
login-offline =
    { $seconds ->
        [one] sin conexión ({ $detail }); nuevo intento en 1 segundo
       *[other] sin conexión ({ $detail }); nuevo intento en { $seconds } segundos
    }
login-approved = aprobado; verificando la respuesta…
login-signed-in = Sesión iniciada como { $name } con { $provider }.
login-unnamed = una cuenta sin nombre
login-declined = Se rechazó el inicio de sesión en el otro dispositivo.
login-expired = El código caducó antes de que se aprobara. Vuelve a ejecutar login para obtener uno nuevo.
login-interrupted = Interrumpido: se canceló el inicio de sesión.
