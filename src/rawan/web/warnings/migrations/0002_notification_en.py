from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('warnings', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='title_en',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='notification',
            name='body_en',
            field=models.TextField(blank=True),
        ),
    ]
