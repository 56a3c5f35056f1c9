# device-signin: Brazilian Portuguese ("você"), translated from English.
# Arguments: $provider (a provider's name), $name (who signed in),
# $host (a server's host name), $device (this TV's name), $seconds and
# $minutes (whole numbers), $detail (technical text, kept in English).
# Plural categories (CLDR pt): one (0 and 1), other.

window-title = Entrar

## Botões

action-new-code = Novo código
action-back = Voltar
action-try-again = Tentar de novo
action-try-now = Tentar agora
action-sign-out = Sair
action-cancel = Cancelar
action-continue = Continuar
action-other-account = Usar outra conta

## Escolha do provedor

choose-title = Entrar
choose-prompt = Escolha onde está sua conta
choose-hint = Use as setas para escolher e pressione OK
tile-signed-in = Conectado
tile-signed-in-as = Conectado como { $name }
tile-demo = Demo

## A tela do código

code-title = Entrar com { $provider }
code-getting = Obtendo um código de login de { $provider }…
code-device = Esta TV: { $device }
code-scan = Escaneie com seu celular
code-scan-hint = Não precisa digitar: só confira se o código no seu celular é igual a este
code-or = ou
code-step-visit = Acesse
code-step-enter = Digite o código
code-step-approve = Aprove o login no seu celular
code-expires-in =
    { $minutes ->
        [one] Expira em 1 minuto
       *[other] Expira em { $minutes } minutos
    }
code-last-minute = Falta menos de um minuto
code-phishing = Só digite este código se você estiver na frente desta tela. { $provider } nunca vai pedir esse código por telefone ou e-mail.

## Linhas de status na tela do código: tranquilas, nada a fazer

status-waiting = Aguardando sua aprovação
status-checking = Verificando se você já aprovou
status-offline =
    { $seconds ->
        [one] Sem conexão com o servidor no momento. Tentando novamente em { $seconds } segundo
       *[other] Sem conexão com o servidor no momento. Tentando novamente em { $seconds } segundos
    }
status-approved = Aprovado. Concluindo o login…
status-renewed = O código anterior expirou, então este é um novo
status-slow-down =
    { $seconds ->
        [one] O servidor pediu verificações menos frequentes: agora a cada segundo
       *[other] O servidor pediu verificações menos frequentes: agora a cada { $seconds } segundos
    }

## Avisos acima do código

notice-signed-out-here = Você saiu da conta { $provider } nesta TV
notice-ended = Sua sessão com { $provider } foi encerrada
notice-signed-out-not-confirmed = Você saiu nesta TV, mas { $provider } não confirmou ({ $detail })
notice-signed-out-no-revocation = Você saiu nesta TV ({ $provider } não oferece um jeito de encerrar a sessão por lá)
notice-signed-out-who = { $name } saiu da conta { $provider }
notice-signed-out = Você saiu da conta { $provider }

## Resultados

expired-title = O código expirou
expired-renew-in =
    { $seconds ->
        [one] Um novo código será gerado em { $seconds } segundo
       *[other] Um novo código será gerado em { $seconds } segundos
    }
expired-press-ok = Pressione OK para receber um novo código
declined-title = O login foi recusado no outro dispositivo
declined-nobody = Nenhuma conta { $provider } estava conectada.
signed-in = Conectado
signed-in-as = Conectado como { $name }
signed-in-with = com { $provider }
signed-in-offline =
    { $seconds ->
        [one] Sem conexão com { $provider } para renovar a sessão. Tentando novamente em { $seconds } segundo
       *[other] Sem conexão com { $provider } para renovar a sessão. Tentando novamente em { $seconds } segundos
    }
continuing-in =
    { $seconds ->
        [one] Continuando em { $seconds } segundo
       *[other] Continuando em { $seconds } segundos
    }
restoring-welcome = Olá de novo
restoring-welcome-who = Olá de novo, { $name }
restoring-checking = Verificando sua sessão com { $provider }…
restoring-offline = Sem conexão com { $provider }. Sua sessão continua salva
trying-again-in =
    { $seconds ->
        [one] Tentando novamente em { $seconds } segundo
       *[other] Tentando novamente em { $seconds } segundos
    }
sign-out-question-who = Desconectar { $name } da conta { $provider }?
sign-out-question = Sair da conta { $provider }?
sign-out-afterwards = Depois disso, será preciso entrar de novo nesta TV
signing-out = Saindo da conta { $provider }…
signing-out-asking = Pedindo que { $provider } encerre a sessão
problem-retrying-in =
    { $seconds ->
        [one] Nova tentativa automática em { $seconds } segundo
       *[other] Nova tentativa automática em { $seconds } segundos
    }

## Problemas: um título simples e uma única ação

problem-declined = Login recusado
problem-expired = O código expirou
problem-ended = Sua sessão com { $provider } foi encerrada
problem-tls = Não foi possível criar uma conexão segura com { $host }
problem-timeout = { $host } não está respondendo
problem-dns = Não foi possível encontrar { $host } na rede
problem-unusable = { $provider } enviou uma resposta que este app não consegue usar
problem-no-tls = Este dispositivo não consegue criar conexões seguras
problem-unreachable = Não foi possível acessar { $host }
problem-wrong-address = O endereço de login de { $provider } está incorreto
problem-refused-app = { $provider } recusou este app
problem-busy = { $provider } está com muita demanda no momento
problem-trouble = { $provider } está com problemas no momento
problem-refused-request = { $provider } recusou a solicitação
problem-not-enabled = { $provider } não habilitou o login em dispositivos para este app
problem-unknown-app = { $provider } não reconhece este app
problem-scope = { $provider } recusou as permissões que este app solicita
problem-refused-sign-in = { $provider } recusou o login
problem-settings = As configurações de login de { $provider } estão incompletas
problem-store = Não foi possível salvar o login neste dispositivo

next-new-code = Pressione OK para receber um novo código
next-sign-in-again = Entre de novo para continuar
next-check-internet = Verifique se a TV está conectada à internet
next-check-clock = Verifique se a data e a hora da TV estão corretas
next-wait = Aguarde alguns minutos e tente de novo
next-ask-admin = Peça a quem configurou esta TV para verificar as configurações de login
next-ask-admin-storage = Peça a quem configurou esta TV para verificar o armazenamento

## `login` simples no terminal

login-start = Entrando com { $provider }…
login-start-demo = Entrando com { $provider } (demonstração)…
login-go-to = No seu celular ou computador, acesse:
login-enter = e digite o código:
login-scan = Ou escaneie este QR code:
login-expires-waiting =
    { $minutes ->
        [one] O código expira em { $minutes } minuto. Aguardando aprovação…
       *[other] O código expira em { $minutes } minutos. Aguardando aprovação…
    }
login-checking = verificando…
login-slow-down =
    { $seconds ->
        [one] o servidor pediu verificações menos frequentes: agora a cada segundo
       *[other] o servidor pediu verificações menos frequentes: agora a cada { $seconds } segundos
    }
login-offline =
    { $seconds ->
        [one] sem conexão ({ $detail }); tentando novamente em { $seconds } segundo
       *[other] sem conexão ({ $detail }); tentando novamente em { $seconds } segundos
    }
login-approved = aprovado; verificando a resposta…
login-signed-in = Conectado como { $name } com { $provider }.
login-unnamed = uma conta sem nome
login-declined = O login foi recusado no outro dispositivo.
login-expired = O código expirou antes de ser aprovado. Execute login de novo para receber outro.
login-interrupted = Interrompido: login cancelado.
