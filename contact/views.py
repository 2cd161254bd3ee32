from django.http import HttpResponse

def contact(request):
    return HttpResponse()

def sent(request):
    return HttpResponse()
