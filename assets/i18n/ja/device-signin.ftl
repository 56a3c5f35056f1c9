# device-signin: Japanese (polite です/ます style), translated from English.
# Arguments: $provider (a provider's name), $name (who signed in),
# $host (a server's host name), $device (this TV's name), $seconds and
# $minutes (whole numbers), $detail (technical text, kept in English).
# Japanese has no plural forms: messages are written without selectors.
# A space separates a Latin-script or number placeable from Japanese text.

window-title = ログイン

## ボタン

action-new-code = 新しいコード
action-back = 戻る
action-try-again = 再試行
action-try-now = 今すぐ再試行
action-sign-out = ログアウト
action-cancel = キャンセル
action-continue = 続行
action-other-account = 別のアカウントを使用

## サービスの選択

choose-title = ログイン
choose-prompt = アカウントのあるサービスを選んでください
choose-hint = 矢印ボタンで選んで OK を押してください
tile-signed-in = ログイン中
tile-signed-in-as = { $name } でログイン中
tile-demo = デモ

## コード画面

code-title = { $provider } でログイン
code-getting = { $provider } からログインコードを取得しています…
code-device = このテレビ：{ $device }
code-scan = スマートフォンでスキャン
code-scan-hint = 入力は不要です。スマートフォンに表示されたコードがこのコードと同じか確認してください
code-or = または
code-step-visit = 次の URL にアクセス
code-step-enter = コードを入力
code-step-approve = スマートフォンでログインを承認
code-expires-in = あと { $minutes } 分で期限切れ
code-last-minute = 残り1分未満
code-phishing = このコードは、この画面の前にいる場合にのみ入力してください。{ $provider } が電話やメールでこのコードを尋ねることはありません。

## コード画面のステータス：落ち着いた表現で、操作は不要

status-waiting = 承認をお待ちしています
status-checking = 承認されたかどうかを確認しています
status-offline = 現在サーバーに接続できません。{ $seconds } 秒後に再試行します
status-approved = 承認されました。ログインを完了しています…
status-renewed = 前のコードの有効期限が切れたため、新しいコードを表示しています
status-slow-down = サーバーの要求により、確認の間隔を { $seconds } 秒ごとにしました

## コードの上に表示するお知らせ

notice-signed-out-here = このテレビで { $provider } からログアウトしました
notice-ended = { $provider } のログインが終了しました
notice-signed-out-not-confirmed = このテレビではログアウトしましたが、{ $provider } から確認を得られませんでした（{ $detail }）
notice-signed-out-no-revocation = このテレビではログアウトしました（{ $provider } 側でログインを終了する方法はありません）
notice-signed-out-who = { $name } さんは { $provider } からログアウトしました
notice-signed-out = { $provider } からログアウトしました

## 結果

expired-title = コードの有効期限が切れました
expired-renew-in = { $seconds } 秒後に新しいコードを表示します
expired-press-ok = OK を押すと新しいコードを表示します
declined-title = 別のデバイスでログインが拒否されました
declined-nobody = { $provider } にログインしているアカウントはありませんでした。
signed-in = ログインしました
signed-in-as = { $name } としてログインしました
signed-in-with = { $provider } アカウント
signed-in-offline = { $provider } に接続できないため、ログインを更新できません。{ $seconds } 秒後に再試行します
continuing-in = { $seconds } 秒後に続行します
restoring-welcome = おかえりなさい
restoring-welcome-who = おかえりなさい、{ $name } さん
restoring-checking = { $provider } のログイン状態を確認しています…
restoring-offline = { $provider } に接続できません。ログイン状態は保持されています
trying-again-in = { $seconds } 秒後に再試行します
sign-out-question-who = { $provider } から { $name } さんをログアウトしますか？
sign-out-question = { $provider } からログアウトしますか？
sign-out-afterwards = ログアウトすると、このテレビでもう一度ログインが必要になります
signing-out = { $provider } からログアウトしています…
signing-out-asking = { $provider } にログインの終了をリクエストしています
problem-retrying-in = { $seconds } 秒後に自動で再試行します

## 問題：わかりやすい見出しと、1つの対処方法

problem-declined = ログインが拒否されました
problem-expired = コードの有効期限が切れました
problem-ended = { $provider } のログインが終了しました
problem-tls = { $host } に安全に接続できません
problem-timeout = { $host } から応答がありません
problem-dns = ネットワーク上で { $host } が見つかりません
problem-unusable = { $provider } から、このアプリで使用できない応答が返されました
problem-no-tls = このデバイスでは安全な接続を確立できません
problem-unreachable = { $host } に接続できません
problem-wrong-address = { $provider } のログインアドレスが正しくありません
problem-refused-app = { $provider } がこのアプリを拒否しました
problem-busy = 現在 { $provider } が混み合っています
problem-trouble = 現在 { $provider } で問題が発生しています
problem-refused-request = { $provider } がリクエストを拒否しました
problem-not-enabled = このアプリは { $provider } でデバイスからのログインが有効になっていません
problem-unknown-app = { $provider } がこのアプリを認識できません
problem-scope = { $provider } がこのアプリの求める権限を拒否しました
problem-refused-sign-in = { $provider } がログインを拒否しました
problem-settings = { $provider } のログイン設定が完了していません
problem-store = このデバイスにログイン情報を保存できません

next-new-code = OK を押して新しいコードを取得してください
next-sign-in-again = 続けるには、もう一度ログインしてください
next-check-internet = テレビがインターネットに接続されているか確認してください
next-check-clock = テレビの日付と時刻が正しいか確認してください
next-wait = 数分待ってから、もう一度お試しください
next-ask-admin = このテレビを設定した人に、ログイン設定の確認を依頼してください
next-ask-admin-storage = このテレビを設定した人に、ストレージの確認を依頼してください

## ターミナルでの `login`

login-start = { $provider } でログインしています…
login-start-demo = { $provider } でログインしています（デモ）…
login-go-to = スマートフォンまたはパソコンで次の URL にアクセスしてください：
login-enter = 次のコードを入力してください：
login-scan = または、この QR コードをスキャンしてください：
login-expires-waiting = コードの有効期限はあと { $minutes } 分です。承認を待っています…
login-checking = 確認しています…
login-slow-down = サーバーの要求により、確認の間隔を { $seconds } 秒ごとにしました
login-offline = 接続できません（{ $detail }）。{ $seconds } 秒後に再試行します
login-approved = 承認されました。応答を確認しています…
login-signed-in = { $provider } で { $name } としてログインしました。
login-unnamed = 名前のないアカウント
login-declined = 別のデバイスでログインが拒否されました。
login-expired = 承認される前にコードの有効期限が切れました。新しいコードを取得するには、もう一度 login を実行してください。
login-interrupted = 中断しました。ログインはキャンセルされました。
